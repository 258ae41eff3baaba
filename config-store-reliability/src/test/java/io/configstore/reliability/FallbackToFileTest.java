package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.CipherSource;
import io.configstore.error.StoreUnavailableException;
import io.configstore.file.FileStoreSet;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.service.ConfigurationService;
import io.configstore.service.ServiceHealth;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose SQLite database cannot be opened serves a file store read-only when the host asks for that
 * fallback. Here rather than in either backend's tests: it needs both, and backends never depend on each other.
 */
class FallbackToFileTest {
    private static final ChangeContext CHANGE = ChangeContext.by("fallback-test");

    @TempDir
    Path directory;

    private static StoreSet open(Path db) {
        return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
    }

    @Test
    void a_database_that_cannot_open_falls_back_to_a_file_store_read_only_when_the_host_asks() throws Exception {
        Path fileStore = directory.resolve("file-store");
        try (StoreSet files = FileStoreSet.builder().directory(fileStore).cipher(TestKeys.cipher()).open()) {
            files.documents().save("app", Json.object().put("from", "file"), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        Path db = directory.resolve("broken.db");
        Files.write(db, "garbage, not SQLite".repeat(100).getBytes());

        try (ConfigurationService service = ConfigurationService.opening(() -> open(db)).noSnapshotFile()
                .fallbackToFile(fileStore, CipherSource.of(TestKeys.cipher())).build()) {
            ServiceHealth health = service.health();
            assertThat(health.state()).isEqualTo(ServiceHealth.State.DEGRADED);
            assertThat(health.reason()).contains("read-only fallback store");
            assertThat(service.documents().load("app").orElseThrow().content().get("from").asText())
                    .isEqualTo("file");
            assertThatThrownBy(() -> service.documents().save("app", Json.object(), 1, 1, CHANGE))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("nothing was written");
        }
        try (StoreSet files = FileStoreSet.builder().directory(fileStore).cipher(TestKeys.cipher()).open()) {
            assertThat(files.documents().load("app").orElseThrow().revision()).isEqualTo(1);
        }
        assertThatThrownBy(() -> ConfigurationService.builder(open(directory.resolve("ok.db")))
                .fallbackToFile(fileStore, CipherSource.of(TestKeys.cipher())).build())
                .hasMessageContaining("needs a service built on a StoreOpener");
    }
}
