package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store files keep numbers exactly, and a file written before numbers were read exactly (its checksum taken over
 * doubles: {@code 1.0E-5}, {@code -0.0}, {@code 1.0E300}) still matches its checksum, so it is not taken for a hand edit
 * and its backups stay valid.
 */
class FileNumbersTest {
    /** How configstore wrote store files, numbers as doubles: a plain mapper over double nodes. */
    private static final ObjectMapper DOUBLES = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path storeWithOneDocument() {
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", Json.object().put("n", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        return dir.resolve(FileStoreSet.STORE_FILE);
    }

    /** The store file rewritten as an older configstore wrote it, with {@code content} as the document's content. */
    private static void rewriteAsBefore(Path file, ObjectNode content, boolean updateChecksum) throws Exception {
        ObjectNode root = (ObjectNode) DOUBLES.readTree(Files.readAllBytes(file));
        ((ObjectNode) root.get("tenants").get("default").get("documents").get("app")).set("content", content);
        if (updateChecksum) {
            root.put("checksum", new StoreFileFormat().checksum(root.get("metadata"), root.get("tenants")));
        }
        Files.write(file, DOUBLES.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static ObjectNode doubles() {
        return DOUBLES.createObjectNode().put("small", 1.0E-5).put("minusZero", -0.0).put("huge", 1.0E300)
                .put("tenth", 0.1);
    }

    @Test
    void a_file_whose_checksum_was_taken_over_doubles_still_matches_and_reads_back_exactly() throws Exception {
        Path file = storeWithOneDocument();
        rewriteAsBefore(file, doubles(), true);
        assertThat(Files.readString(file)).contains("1.0E-5").contains("-0.0").contains("1.0E300");

        assertThat(new StoreFileFormat().read(file, Files.readAllBytes(file)).checksumMatches()).isTrue();
        try (FileStoreSet stores = TestStores.open(dir)) {
            ConfigDocument app = stores.documents().load("app").orElseThrow();
            assertThat(Json.write(app.content()))
                    .isEqualTo("{\"small\":0.000010,\"minusZero\":0.0,\"huge\":1.0E+300,\"tenth\":0.1}");
            assertThat(app.changedBy()).as("not taken for a hand edit").isEqualTo(CHANGE.changedBy());
        }
    }

    @Test
    void a_number_changed_behind_the_checksum_is_still_a_hand_edit() throws Exception {
        Path file = storeWithOneDocument();
        rewriteAsBefore(file, doubles(), true);
        String edited = Files.readString(file).replace("1.0E-5", "2.0E-5");
        Files.writeString(file, edited);

        assertThat(new StoreFileFormat().read(file, Files.readAllBytes(file)).checksumMatches()).isFalse();
    }

    @Test
    void numbers_written_by_this_version_read_back_exactly_after_a_reopen() throws Exception {
        // Parsed text only: a host double put beside them is held as a double by today's in-memory engine until it
        // stores Json.asStored forms, and its file checksum would then be taken over neither form.
        ObjectNode content = Json.parseObject("content", "{\"scaled\":1.10,\"minusZero\":-0.0,\"huge\":1e300,"
                + "\"twenty\":12345678901234567890,\"tenth\":0.1,\"small\":1.0E-5}");
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", content, 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        Path file = dir.resolve(FileStoreSet.STORE_FILE);
        try (FileStoreSet stores = TestStores.open(dir)) {
            ObjectNode read = stores.documents().load("app").orElseThrow().content();
            assertThat(Json.write(read)).isEqualTo(Json.write(Json.asStored("content", content)));
            assertThat(read.get("scaled").decimalValue()).isEqualTo(new BigDecimal("1.10"));
            assertThat(new StoreFileFormat().read(file, Files.readAllBytes(file)).checksumMatches()).isTrue();
        }
    }
}
