package io.configstore.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ConfigDocument;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.FeedControlledStoreSet;
import io.configstore.testkit.ServiceBackend;
import io.configstore.testkit.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The service's guarantees on the file backend: store sets open the same directory, and learn of each other's writes
 * through their watchers. The file backend never loses a notification nor sends RESYNC by itself, so, as on the
 * in-memory backend, a notification is lost by muting the watched store set's feed while another store set writes,
 * and a RESYNC is sent when the feed resumes.
 */
class FileConfigurationServiceTest extends ConfigurationServiceContract {
    @Override
    protected ServiceBackend newBackend() throws IOException {
        Path directory = Files.createTempDirectory("configstore-file-service-");
        return new ServiceBackend() {
            @Override
            public StoreSet open() {
                return new FeedControlledStoreSet(openDirect());
            }

            private StoreSet openDirect() {
                return FileStoreSet.builder().directory(directory).cipher(TestKeys.cipher())
                        .watchInterval(Duration.ofMillis(20)).open();
            }

            @Override
            public void editUnannounced(StoreSet watched, String name, String value) {
                FeedControlledStoreSet feed = (FeedControlledStoreSet) watched;
                feed.mute();
                int droppedBefore = feed.dropped();
                try (StoreSet writer = openDirect()) {
                    ConfigDocument stored = writer.documents().load(name).orElseThrow();
                    writer.documents().save(name, json("edited", value), stored.formatVersion(), stored.revision(),
                            CHANGE);
                }
                // The watched store set's watcher finds the write and tells the muted feed, which drops it.
                Await.until("the edit's event dropped", () -> feed.dropped() > droppedBefore);
                assertThat(feed.dropped()).isGreaterThan(droppedBefore);
            }

            @Override
            public void triggerResync(StoreSet watched) {
                ((FeedControlledStoreSet) watched).resumeWithResync();
            }

            @Override
            public void close() throws IOException {
                List<Path> paths;
                try (Stream<Path> walk = Files.walk(directory)) {
                    paths = walk.sorted(Comparator.reverseOrder()).toList();
                }
                for (Path path : paths) {
                    Files.delete(path);
                }
            }
        };
    }
}
