package io.configstore.sqlite;

import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second OS process for the multi-process tests. It prints {@code READY}, waits for a line on stdin (so that the
 * parent can start several children at the same moment), does its work, prints {@code DONE} and exits 0; on any
 * failure it prints the stack trace and exits 1.
 *
 * <p>Modes: {@code increment <db> <count>} runs that many {@code update} increments of the counter in document
 * {@code counter}; {@code open <db>} opens the store (migrating a fresh file) and closes it.
 */
public final class SqliteChildProcess {
    private SqliteChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Path db = Path.of(args[1]);
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            try (StoreSet stores = SqliteStoreSet.builder().path(db)
                    .cipher(TestKeys.cipher()).open()) {
                if (args[0].equals("increment")) {
                    int count = Integer.parseInt(args[2]);
                    for (int i = 0; i < count; i++) {
                        stores.documents().update("counter",
                                doc -> doc.put("value", doc.path("value").asInt() + 1),
                                ChangeContext.by("child-" + ProcessHandle.current().pid()));
                    }
                }
            }
            System.out.println("DONE");
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
