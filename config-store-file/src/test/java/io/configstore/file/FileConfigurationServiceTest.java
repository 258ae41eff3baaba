package io.configstore.file;

import io.configstore.store.StoreSet;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.MutedFeedBackend;
import io.configstore.testkit.ServiceBackend;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's guarantees on the file backend: store sets open the same directory and learn of each other's writes
 * through their watchers. The file backend never loses a notification nor sends RESYNC by itself, so a notification
 * is lost by muting the watched store set's feed while another writes ({@link MutedFeedBackend}).
 */
class FileConfigurationServiceTest extends ConfigurationServiceContract {
    @TempDir
    Path directory;

    @Override
    protected ServiceBackend newBackend() {
        return new MutedFeedBackend() {
            @Override
            protected StoreSet openDirect() {
                return FileStoreSet.builder().directory(directory).cipher(TestKeys.cipher())
                        .watchInterval(Duration.ofMillis(20)).open();
            }

            @Override
            public void close() {
                // JUnit deletes the temporary directory after the test.
            }
        };
    }
}
