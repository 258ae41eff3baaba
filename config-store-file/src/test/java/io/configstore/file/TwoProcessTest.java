package io.configstore.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ConfigDocument;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes coordinate through the lock file: concurrent {@code update}s from several JVMs lose nothing. */
class TwoProcessTest {
    private static final int PROCESSES = 3;
    private static final int PER_PROCESS = 40;

    @TempDir
    Path dir;

    @Test
    void processes_incrementing_one_document_at_the_same_time_lose_no_update() throws Exception {
        Path store = dir.resolve("store");
        TestStores.open(store).close();
        ChildJvms children = ChildJvms.start(FileChildProcess.class, dir, PROCESSES, "increment", store.toString(),
                Base64.getEncoder().encodeToString(TestStores.KEY), String.valueOf(PER_PROCESS));
        try {
            children.releaseAndAwaitSuccess();
        } finally {
            children.destroy();
        }

        try (FileStoreSet stores = TestStores.open(store)) {
            ConfigDocument counter = stores.documents().load("counter").orElseThrow();
            assertThat(counter.content().get("count").asInt()).isEqualTo(PROCESSES * PER_PROCESS);
            assertThat(counter.revision()).isEqualTo(PROCESSES * PER_PROCESS);
        }
    }
}
