package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.SealedSecret;
import io.configstore.crypto.SecretBinding;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot file on a real file system: round trip, privacy, atomic replace, refusal of what is not intact. */
class SnapshotFileTest {
    @TempDir
    Path directory;

    private static LastKnownGood sample(long revision) {
        Instant now = Instant.parse("2026-12-06T04:00:00Z");
        ApiKeyMetadata key = new ApiKeyMetadata("6f1c1b7e-0000-4000-8000-000000000001", "default", "openai", "prod",
                true, 3, "k1", now, now, null, "alice", null);
        SealedSecret sealed = new SealedSecret("k1", new SecretBinding("default", "openai", "prod", key.id()),
                "v1:k1:opaque-ciphertext");
        ConfigDocument document = new ConfigDocument("default", "app", Json.object().put("port", 8080), 1, revision,
                now, "alice", null);
        return new LastKnownGood("store-a", "default", now, List.of(), List.of(key), Map.of("openai", key.id()),
                Map.of(key.id(), sealed), List.of(document));
    }

    @Test
    void a_written_snapshot_reads_back_the_same_owner_only_with_no_temporary_file_left() throws Exception {
        Path file = directory.resolve("sub/configstore.snapshot");
        SnapshotFile.write(file, sample(1));
        SnapshotFile.write(file, sample(2));

        LastKnownGood read = SnapshotFile.read(file);
        assertThat(read).isEqualTo(sample(2));
        assertThat(read.revisions()).isEqualTo(sample(2).revisions()).isNotEqualTo(sample(1).revisions());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(read.toString()).doesNotContain("opaque-ciphertext").doesNotContain("8080");
    }

    @Test
    void a_file_that_is_not_a_snapshot_or_is_empty_is_refused_saying_so() throws Exception {
        Path garbage = directory.resolve("garbage.snapshot");
        Files.writeString(garbage, "{\"hello\": \"world\"}\n");
        Path empty = directory.resolve("empty.snapshot");
        Files.createFile(empty);

        assertThatThrownBy(() -> SnapshotFile.read(garbage)).isInstanceOf(SnapshotFile.SnapshotRejectedException.class)
                .hasMessageContaining("is not a configstore snapshot");
        assertThatThrownBy(() -> SnapshotFile.read(empty)).isInstanceOf(SnapshotFile.SnapshotRejectedException.class)
                .hasMessageContaining("is not a configstore snapshot");
        assertThatThrownBy(() -> SnapshotFile.read(directory.resolve("none")))
                .hasMessageContaining("there is no snapshot at");
    }
}
