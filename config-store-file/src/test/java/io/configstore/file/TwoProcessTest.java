package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ConfigDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes coordinate through the lock file: concurrent {@code update}s from several JVMs lose nothing. */
class TwoProcessTest {
    private static final int PER_PROCESS = 40;

    @TempDir
    Path dir;

    @Test
    void two_child_processes_and_this_one_incrementing_one_document_lose_no_update() throws Exception {
        Path store = dir.resolve("store");
        TestStores.open(store).close();
        List<Process> children = new ArrayList<>();
        List<Path> errors = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Path err = dir.resolve("child-" + i + ".err");
                errors.add(err);
                children.add(ChildJvm.start(err, "increment", store.toString(),
                        Base64.getEncoder().encodeToString(TestStores.KEY), String.valueOf(PER_PROCESS)));
            }
            for (Process child : children) {
                assertThat(ChildJvm.readLine(child)).as("child startup; stderr: %s", stderr(errors))
                        .isEqualTo("READY");
            }
            try (FileStoreSet stores = TestStores.open(store)) {
                for (Process child : children) {
                    child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                    child.getOutputStream().flush();
                }
                for (int i = 0; i < PER_PROCESS; i++) {
                    stores.documents().update("counter", doc -> doc.put("count", doc.path("count").asInt() + 1),
                            CHANGE);
                }
                for (Process child : children) {
                    assertThat(ChildJvm.readLine(child)).as("stderr: %s", stderr(errors)).isEqualTo("DONE");
                    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
                    assertThat(child.exitValue()).as("stderr: %s", stderr(errors)).isZero();
                }

                ConfigDocument counter = stores.documents().load("counter").orElseThrow();
                assertThat(counter.content().get("count").asInt()).isEqualTo(3 * PER_PROCESS);
                assertThat(counter.revision()).isEqualTo(3 * PER_PROCESS);
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private static String stderr(List<Path> errors) {
        StringBuilder all = new StringBuilder();
        for (Path err : errors) {
            try {
                all.append(Files.readString(err));
            } catch (java.io.IOException e) {
                all.append("(unreadable ").append(err).append(')');
            }
        }
        return all.toString();
    }
}
