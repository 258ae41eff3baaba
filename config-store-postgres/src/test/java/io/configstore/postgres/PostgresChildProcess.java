package io.configstore.postgres;

import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A second OS process for the multi-process tests. It prints {@code READY}, waits for a line on stdin (so that the
 * parent can release several children at the same moment), opens the store in the schema named by its first argument
 * (migrating it when fresh), writes document {@code child-<pid>}, closes it, prints {@code DONE} and exits 0; on any
 * failure it prints the stack trace and exits 1.
 */
public final class PostgresChildProcess {
    private PostgresChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        try {
            String schema = args[0];
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            try (StoreSet stores = PostgresTestStores.builder(schema).open()) {
                stores.documents().update("child-" + ProcessHandle.current().pid(), doc -> doc.put("done", true),
                        ChangeContext.by("child"));
            }
            System.out.println("DONE");
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
