package io.configstore.file;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A second process on a store directory, started by the tests with the test class path.
 *
 * <ul>
 *   <li>{@code increment <dir> <key> <count>}: prints READY, waits for a line, increments document
 *       {@code counter} {@code count} times with {@code update}, prints DONE.</li>
 *   <li>{@code crash <dir> <key>}: saves a new revision of document {@code app} and halts the JVM between the temp
 *       file and the rename, as a power cut or kill -9 there would.</li>
 * </ul>
 */
public final class FileChildProcess {
    private FileChildProcess() {
    }

    /** Runs one mode; exits 0 on success. */
    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[1]);
        AesGcmSecretCipher cipher = AesGcmSecretCipher.of("test", Base64.getDecoder().decode(args[2]));
        ChangeContext change = ChangeContext.by("child-" + ProcessHandle.current().pid());
        switch (args[0]) {
            case "increment" -> {
                int count = Integer.parseInt(args[3]);
                try (FileStoreSet stores = FileStoreSet.builder().directory(directory).cipher(cipher).open()) {
                    System.out.println("READY");
                    System.out.flush();
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    for (int i = 0; i < count; i++) {
                        stores.documents().update("counter",
                                doc -> doc.put("count", doc.path("count").asInt() + 1), change);
                    }
                }
                System.out.println("DONE");
            }
            case "crash" -> {
                FileStoreSet stores = FileStoreSet.builder().directory(directory).cipher(cipher)
                        .crashPoint(temp -> {
                            if (temp.getParent().endsWith(BackupDirectory.NAME)) {
                                return; // the backup before the change is written first; crash at the store file
                            }
                            System.out.println("CRASHING " + temp);
                            System.out.flush();
                            Runtime.getRuntime().halt(42);
                        }).open();
                ConfigDocument app = stores.documents().load("app").orElseThrow();
                stores.documents().save("app", Json.object().put("v", "new"), 1, app.revision(), change);
                System.out.println("NOT CRASHED");
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
