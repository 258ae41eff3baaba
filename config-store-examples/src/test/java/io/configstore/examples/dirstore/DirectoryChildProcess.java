package io.configstore.examples.dirstore;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

/**
 * A second process on an example-backend directory, for {@link DirectoryStoreSetTest}: with arguments
 * {@code <dir> <base64 key> <count>} it opens the store, prints READY, waits for a line, increments document
 * {@code counter} {@code count} times with {@code update}, and prints DONE.
 */
public final class DirectoryChildProcess {
    private DirectoryChildProcess() {
    }

    /** Runs the increments; exits 0 on success. */
    public static void main(String[] args) throws Exception {
        CipherSource cipher = CipherSource.of(AesGcmSecretCipher.of("test", Base64.getDecoder().decode(args[1])));
        ChangeContext change = ChangeContext.by("child-" + ProcessHandle.current().pid());
        try (StoreSet stores = DirectoryStoreSet.open(Path.of(args[0]), cipher, Clock.systemUTC())) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                stores.documents().update("counter", doc -> doc.put("count", doc.path("count").asInt() + 1), change);
            }
        }
        System.out.println("DONE");
    }
}
