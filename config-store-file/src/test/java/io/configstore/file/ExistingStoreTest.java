package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.StorageException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code createIfAbsent(false)}: an open that may only find a store, for tools that read. */
class ExistingStoreTest {
    @TempDir
    Path dir;

    @Test
    void a_directory_that_does_not_exist_fails_the_open_and_is_not_created() {
        Path typo = dir.resolve("typo").resolve("store");
        assertThatThrownBy(() -> TestStores.builder(typo).createIfAbsent(false).open())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("there is no store in " + typo.toAbsolutePath())
                .hasMessageContaining("creates nothing");
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void a_directory_without_a_store_file_fails_the_open_and_stays_empty() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> TestStores.builder(empty).createIfAbsent(false).open())
                .isInstanceOf(StorageException.class).hasMessageContaining("no " + FileStoreSet.STORE_FILE);
        assertThat(TestStores.names(empty)).isEmpty();
    }

    @Test
    void an_existing_store_opens_as_usual() {
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        try (FileStoreSet stores = TestStores.builder(dir).createIfAbsent(false).open()) {
            assertThat(stores.documents().load("app")).isPresent();
        }
    }
}
