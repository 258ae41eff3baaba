package io.configstore.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.model.ChangeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the file backend's own tests share: a key, a change context, and the next change event within a deadline. */
final class TestStores {
    static final byte[] KEY = AesGcmSecretCipher.generateKey();
    static final AesGcmSecretCipher CIPHER = AesGcmSecretCipher.of("test", KEY);
    static final ChangeContext CHANGE = ChangeContext.by("file-test");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private TestStores() {
    }

    /** A store on {@code directory} whose watcher polls often. */
    static FileStoreSet open(Path directory) {
        return builder(directory).open();
    }

    static FileStoreSet.Builder builder(Path directory) {
        return FileStoreSet.builder().directory(directory).cipher(CIPHER).watchInterval(Duration.ofMillis(20));
    }

    /** The file names in {@code directory} (not recursive). */
    static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The next event, failing when none arrives within the deadline. */
    static ChangeEvent next(BlockingQueue<ChangeEvent> events) throws InterruptedException {
        ChangeEvent event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a change event within " + DEADLINE).isNotNull();
        return event;
    }
}
