package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static io.configstore.file.TestStores.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.VersionConflictException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person may edit the store file: a valid edit is picked up and told; a broken one is reported precisely. */
class HandEditTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void aStoreWithOneDocumentAndOneProvider() {
        file = dir.resolve(FileStoreSet.STORE_FILE);
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", Json.object().put("maxConnections", 10), 1, ConfigDocument.NO_REVISION,
                    CHANGE);
            stores.documents().save("untouched", Json.object().put("keep", true), 1, ConfigDocument.NO_REVISION,
                    CHANGE);
            stores.providers().create(NewProviderConfig.of("openai", "prod", Json.object().put("model", "gpt")),
                    CHANGE);
        }
    }

    @Test
    void an_edit_in_place_is_picked_up_by_an_open_store_and_told_to_subscribers() throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);

            Files.writeString(file, edited());

            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 2,
                    ChangeOrigin.REMOTE));
            stores.documents().save("marker", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
            assertThat(next(events)).as("nothing about the untouched document").isEqualTo(ChangeEvent.changed(
                    EntityKind.CONFIG_DOCUMENT, "default", "marker", 1, ChangeOrigin.LOCAL));
            ConfigDocument app = stores.documents().load("app").orElseThrow();
            assertThat(app.content().get("maxConnections").asInt()).isEqualTo(99);
            assertThat(app.changedBy()).isEqualTo(HandEdits.EDITOR);
        }
    }

    @Test
    void a_vim_style_save_that_renames_the_file_away_and_writes_a_new_one_is_picked_up_and_the_gap_is_no_deletion()
            throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);
            String edited = edited();

            Files.move(file, dir.resolve(FileStoreSet.STORE_FILE + "~"), StandardCopyOption.ATOMIC_MOVE);
            stores.pollForChanges();
            assertThat(stores.documents().names()).as("a missing file for a moment is not a deletion")
                    .containsExactly("app", "untouched");
            Files.writeString(file, edited);
            Files.delete(dir.resolve(FileStoreSet.STORE_FILE + "~"));

            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 2,
                    ChangeOrigin.REMOTE));
            assertThat(stores.documents().load("app").orElseThrow().content().get("maxConnections").asInt())
                    .isEqualTo(99);
            assertThat(events).as("nothing was told deleted in the gap").isEmpty();
        }
    }

    @Test
    void an_edit_in_place_that_keeps_size_inode_and_modification_time_is_still_noticed() throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);
            FileTime modified = Files.getLastModifiedTime(file);

            Files.writeString(file, edited());
            Files.setLastModifiedTime(file, modified);

            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 2,
                    ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_write_after_an_edit_in_place_that_kept_the_stamp_keeps_the_edit() throws Exception {
        try (FileStoreSet stores = TestStores.builder(dir).watchInterval(Duration.ofHours(1)).open()) {
            FileTime modified = Files.getLastModifiedTime(file);
            Files.writeString(file, edited());
            Files.setLastModifiedTime(file, modified);

            ConfigDocument updated = stores.documents().update("app", doc -> doc.put("timeout", 5), CHANGE);

            assertThat(updated.content().get("maxConnections").asInt()).isEqualTo(99);
        }
    }

    @Test
    void an_edit_the_store_has_not_noticed_yet_is_never_overwritten_by_its_next_write() throws Exception {
        try (FileStoreSet stores = TestStores.builder(dir).watchInterval(Duration.ofHours(1)).open()) {
            Files.writeString(file, edited());

            ConfigDocument updated = stores.documents().update("app", doc -> doc.put("timeout", 5), CHANGE);

            assertThat(updated.content().get("maxConnections").asInt()).as("the person's edit").isEqualTo(99);
            assertThat(updated.content().get("timeout").asInt()).isEqualTo(5);
            assertThat(Files.readString(file)).contains("\"maxConnections\" : 99");
        }
    }

    @Test
    void a_caller_holding_the_revision_from_before_a_hand_edit_gets_a_conflict() throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            long revisionRead = stores.documents().load("app").orElseThrow().revision();
            Files.writeString(file, edited());

            assertThatThrownBy(() -> stores.documents().save("app", Json.object().put("maxConnections", 1), 1,
                    revisionRead, CHANGE)).isInstanceOf(VersionConflictException.class);
            assertThat(Files.readString(file)).contains("\"maxConnections\" : 99");
        }
    }

    @Test
    void an_edit_that_breaks_the_schema_fails_the_open_naming_the_file_the_path_and_the_expectation()
            throws Exception {
        String broken = Files.readString(file)
                .replace("\"priority\" : 100", "\"priority\" : \"high\"")
                .replace("\"enabled\" : true", "\"enabled\" : true,\n        \"colour\" : \"blue\"")
                .replaceFirst("\"changedBy\" : \"file-test\",", "");
        Files.writeString(file, broken);

        assertThatThrownBy(() -> TestStores.open(dir))
                .isInstanceOfSatisfying(InvalidStoreFileException.class, e -> {
                    assertThat(e.file()).isEqualTo(realFile());
                    assertThat(e.getMessage()).contains(FileStoreSet.STORE_FILE);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                            .startsWith("$.tenants.default.providers[0].priority: expected an integer")
                            .contains("found a string of 4 characters").doesNotContain("high"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                            .startsWith("$.tenants.default.providers[0].colour: unknown field"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                            .contains(".changedBy: expected a string (required)"));
                });
        assertThat(Files.readString(file)).isEqualTo(broken);
    }

    @Test
    void an_edit_that_breaks_the_schema_while_the_store_is_open_keeps_the_last_good_state_and_refuses_writes()
            throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            String brokenSchema = Files.readString(file).replaceFirst("\"revision\" : 1,", "\"revision\" : -3,");
            Files.writeString(file, brokenSchema);

            assertThat(stores.documents().load("app").orElseThrow().content().get("maxConnections").asInt())
                    .isEqualTo(10);
            assertThatThrownBy(() -> stores.documents().update("app", doc -> doc.put("x", 1), CHANGE))
                    .isInstanceOfSatisfying(InvalidStoreFileException.class, e -> assertThat(e.problems())
                            .anySatisfy(p -> assertThat(p).contains(".revision: expected an integer from 1")));
            assertThat(Files.readString(file)).isEqualTo(brokenSchema);
        }
    }

    @Test
    void a_second_copy_of_the_store_run_onto_the_end_of_the_file_is_refused_whole_never_read_in_part()
            throws Exception {
        String twice = Files.readString(file) + Files.readString(file).replace("\"maxConnections\" : 10",
                "\"maxConnections\" : 99");
        Files.writeString(file, twice);

        assertThatThrownBy(() -> TestStores.open(dir))
                .isInstanceOfSatisfying(InvalidStoreFileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("more text after the first complete JSON value at line")
                        .contains("nothing after the store's closing brace"));
        assertThat(Files.readString(file)).isEqualTo(twice);
    }

    @Test
    void a_key_written_twice_in_one_object_is_refused_without_repeating_either_value() throws Exception {
        String duplicated = Files.readString(file).replace("\"model\" : \"gpt\"",
                "\"model\" : \"gpt\", \"model\" : \"" + SECRET + "\"");
        Files.writeString(file, duplicated);

        assertThatThrownBy(() -> TestStores.open(dir))
                .isInstanceOfSatisfying(InvalidStoreFileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("a key that appears twice in the same object at line"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThat(Files.readString(file)).isEqualTo(duplicated);
    }

    @Test
    void a_value_damaged_by_hand_is_located_but_never_repeated() throws Exception {
        String original = Files.readString(file);
        byte[] unquoted = original.replace("\"model\" : \"gpt\"", "\"model\" : " + SECRET)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String wrongType = original.replace("\"settings\" : {\n          \"model\" : \"gpt\"\n        }",
                "\"settings\" : \"" + SECRET + "\"");
        assertThat(wrongType).isNotEqualTo(original);

        assertThatThrownBy(() -> new StoreFileFormat().read(file, unquoted))
                .isInstanceOf(CorruptStoreFileException.class)
                .hasMessageContaining("a syntax error").hasMessageContaining("line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        Files.writeString(file, wrongType);
        assertThatThrownBy(() -> TestStores.open(dir))
                .isInstanceOfSatisfying(InvalidStoreFileException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("$.tenants.default.providers[0].settings: expected")
                                .contains("found a string of " + SECRET.length() + " characters")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    private static final String SECRET = "gsk_live_ABCdef123456XYZ";

    private Path realFile() {
        try {
            return file.toRealPath();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The store file as a person would change it: maxConnections from 10 to 99, nothing else. */
    private String edited() throws Exception {
        String text = Files.readString(file);
        assertThat(text).contains("\"maxConnections\" : 10");
        return text.replace("\"maxConnections\" : 10", "\"maxConnections\" : 99");
    }
}
