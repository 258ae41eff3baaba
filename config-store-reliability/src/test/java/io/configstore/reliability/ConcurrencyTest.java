package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.store.StoreSet;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs with four threads each increment one counter through {@code update} on one location: a SQLite file, a
 * file store, a PostgreSQL schema. Every increment counts, and no busy, locked or conflict error reaches a caller (a
 * child exits non-zero on the first exception it sees).
 */
class ConcurrencyTest {
    private static final int JVMS = 2;
    private static final int THREADS = 4;
    private static final int PER_THREAD = 40;

    @TempDir
    Path dir;

    @Test
    void two_jvms_of_four_threads_lose_no_increment_on_one_sqlite_file() throws Exception {
        incrementFromTwoJvms(Backends.SQLITE);
    }

    @Test
    void two_jvms_of_four_threads_lose_no_increment_on_one_file_store() throws Exception {
        incrementFromTwoJvms(Backends.FILE);
    }

    @Test
    void two_jvms_of_four_threads_lose_no_increment_on_one_postgres_schema() throws Exception {
        incrementFromTwoJvms(Backends.POSTGRES);
    }

    private void incrementFromTwoJvms(Backends backend) throws Exception {
        String location = backend.newLocation(dir, "counter");
        try {
            // Created here first, so that the children race on the counter and not on creating the schema.
            try (StoreSet stores = backend.open(location)) {
                stores.documents().update("counter", doc -> doc.put("count", 0), ChangeContext.by("test"));
            }
            ChildJvms children = ChildJvms.start(ReliabilityChild.class, dir, JVMS, "increment", backend.name(),
                    location, Integer.toString(THREADS), Integer.toString(PER_THREAD));
            try {
                children.releaseAndAwaitSuccess();
            } finally {
                children.destroy();
            }
            try (StoreSet stores = backend.open(location)) {
                ConfigDocument counter = stores.documents().load("counter").orElseThrow();
                assertThat(counter.content().get("count").asInt()).isEqualTo(JVMS * THREADS * PER_THREAD);
                assertThat(counter.revision()).isEqualTo(1 + JVMS * THREADS * PER_THREAD);
            }
        } finally {
            backend.drop(location);
        }
    }
}
