package io.configstore.memory.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SecretCipher;
import io.configstore.engine.KeyChecks;
import io.configstore.error.CryptoException;
import io.configstore.error.StorageException;
import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The persistence SPI: a storage with a journal writes every commit through it before publishing anything. */
class StorageJournalTest {
    private final SecretCipher cipher = AesGcmSecretCipher.of("test", AesGcmSecretCipher.generateKey());
    private final ChangeContext change = ChangeContext.by("test");
    private final RecordingJournal journal = new RecordingJournal();

    @Test
    void a_commit_the_journal_refuses_publishes_nothing_tells_nobody_and_releases_the_journal() throws Exception {
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder()
                .storage(new InMemoryStorage(StorageRows.empty(), journal)).cipher(cipher).open()) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);
            int beginsBefore = journal.begins;
            journal.refuse = true;

            assertThatThrownBy(() -> stores.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION,
                    change)).isInstanceOf(StorageException.class).hasMessageContaining("disk full");

            assertThat(stores.documents().names()).isEmpty();
            assertThat(journal.begins).isEqualTo(journal.ends).isEqualTo(beginsBefore + 1);
            journal.refuse = false;
            stores.documents().save("marker", Json.object(), 1, ConfigDocument.NO_REVISION, change);
            assertThat(events.poll(60, TimeUnit.SECONDS)).extracting(ChangeEvent::key).isEqualTo("marker");
            assertThat(events).isEmpty();
        }
    }

    @Test
    void a_writer_works_on_the_rows_the_journal_found_changed_elsewhere() throws Exception {
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder()
                .storage(new InMemoryStorage(StorageRows.empty(), journal)).cipher(cipher).open()) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);
            journal.changedElsewhere = Optional.of(ExternalChange.diffed(new StorageRows(List.of(), List.of(), List.of(
                    new ConfigDocument("default", "app", Json.object().put("v", 5), 1, 5, Instant.now(), "other",
                            null)))));
            int commitsBefore = journal.commits.size();

            ConfigDocument updated = stores.documents().update("app", doc -> doc.put("w", 1), change);

            assertThat(updated.revision()).isEqualTo(6);
            assertThat(updated.content().get("v").asInt()).isEqualTo(5);
            assertThat(journal.commits).hasSize(commitsBefore + 1);
            assertThat(events.poll(60, TimeUnit.SECONDS)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT,
                    "default", "app", 5, ChangeOrigin.REMOTE));
            assertThat(events.poll(60, TimeUnit.SECONDS)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT,
                    "default", "app", 6, ChangeOrigin.LOCAL));
        }
    }

    @Test
    void changes_the_journal_logged_elsewhere_are_told_one_by_one_as_remote() throws Exception {
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder()
                .storage(new InMemoryStorage(StorageRows.empty(), journal)).cipher(cipher).open()) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);
            ChangeEvent first = ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.LOCAL);
            ChangeEvent second = ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 2,
                    ChangeOrigin.LOCAL);
            journal.reloaded = Optional.of(ExternalChange.logged(new StorageRows(List.of(), List.of(), List.of(
                    new ConfigDocument("default", "app", Json.object(), 1, 2, Instant.now(), "other", null))),
                    List.of(first, second)));
            journal.changedOutside = true;

            assertThat(stores.documents().names()).containsExactly("app");
            assertThat(events.poll(60, TimeUnit.SECONDS)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT,
                    "default", "app", 1, ChangeOrigin.REMOTE));
            assertThat(events.poll(60, TimeUnit.SECONDS)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT,
                    "default", "app", 2, ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_write_that_changes_nothing_is_not_journaled() {
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder()
                .storage(new InMemoryStorage(StorageRows.empty(), journal)).cipher(cipher).open()) {
            stores.documents().update("app", doc -> doc.put("v", 1), change);
            int commitsBefore = journal.commits.size();
            stores.documents().update("app", doc -> doc, change);

            assertThat(journal.commits).hasSize(commitsBefore);
        }
    }

    @Test
    void readers_see_rows_changed_elsewhere_once_the_journal_says_so() {
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder()
                .storage(new InMemoryStorage(StorageRows.empty(), journal)).cipher(cipher).open()) {
            journal.reloaded = Optional.of(ExternalChange.diffed(new StorageRows(List.of(), List.of(), List.of(
                    new ConfigDocument("default", "app", Json.object(), 1, 1, Instant.now(), "other", null)))));
            assertThat(stores.documents().names()).as("nothing changed outside yet").isEmpty();

            journal.changedOutside = true;

            assertThat(stores.documents().names()).containsExactly("app");
        }
    }

    @Test
    void metadata_a_cipher_source_records_before_the_set_opens_is_committed_through_the_journal() {
        InMemoryStorage storage = new InMemoryStorage(StorageRows.empty(), journal);
        CipherSource recordsKdf = metadata -> {
            assertThat(metadata.putIfAbsent("kdf-parameters", "first")).isEqualTo("first");
            assertThat(metadata.putIfAbsent("kdf-parameters", "second")).as("the first stored wins")
                    .isEqualTo("first");
            return cipher;
        };
        try (InMemoryStoreSet stores = InMemoryStoreSet.builder().storage(storage).cipherSource(recordsKdf)
                .clock(Clock.systemUTC()).open()) {
            assertThat(journal.begins).isEqualTo(journal.ends);
            assertThat(journal.commits).isNotEmpty();
            assertThat(journal.commits.get(0).metadata()).containsEntry("kdf-parameters", "first");
            assertThat(journal.commits.get(journal.commits.size() - 1).metadata())
                    .containsEntry("kdf-parameters", "first").containsKey(KeyChecks.PREFIX + "test");
        }
        try (InMemoryStoreSet again = InMemoryStoreSet.builder().storage(storage).cipherSource(metadata -> {
            assertThat(metadata.get("kdf-parameters")).as("read back on the next open").contains("first");
            return cipher;
        }).clock(Clock.systemUTC()).open()) {
            assertThat(again.tenantIds()).isEmpty();
        }
    }

    @Test
    void a_cipher_source_that_fails_opens_nothing_and_releases_the_journal() {
        InMemoryStorage storage = new InMemoryStorage(StorageRows.empty(), journal);
        assertThatThrownBy(() -> InMemoryStoreSet.builder().storage(storage).cipherSource(metadata -> {
            throw new CryptoException("no master key configured");
        }).clock(Clock.systemUTC()).open()).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> InMemoryStoreSet.builder().storage(storage).cipherSource(metadata -> null)
                .clock(Clock.systemUTC()).open())
                .isInstanceOf(CryptoException.class).hasMessageContaining("gave no cipher");
        assertThat(journal.commits).isEmpty();
        assertThat(journal.begins).isEqualTo(journal.ends);
    }

    /** A journal kept in fields, to see what the storage asks of it. */
    private static final class RecordingJournal implements StorageJournal {
        volatile boolean refuse;
        volatile boolean changedOutside;
        volatile Optional<ExternalChange> reloaded = Optional.empty();
        volatile Optional<ExternalChange> changedElsewhere = Optional.empty();
        final List<StorageRows> commits = new ArrayList<>();
        int begins;
        int ends;

        @Override
        public boolean changedOutside() {
            return changedOutside;
        }

        @Override
        public Optional<ExternalChange> reload() {
            Optional<ExternalChange> rows = reloaded;
            reloaded = Optional.empty();
            changedOutside = false;
            return rows;
        }

        @Override
        public Optional<ExternalChange> beginWrite() {
            begins++;
            Optional<ExternalChange> rows = changedElsewhere;
            changedElsewhere = Optional.empty();
            return rows;
        }

        @Override
        public void commit(StorageRows rows, List<ChangeEvent> changes) {
            if (refuse) {
                throw new StorageException("disk full");
            }
            commits.add(rows);
        }

        @Override
        public void endWrite() {
            ends++;
        }
    }
}
