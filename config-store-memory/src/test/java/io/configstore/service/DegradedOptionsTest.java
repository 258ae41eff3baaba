package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The outage options are validated when set, naming the option; health starts UP on a store that answers. */
class DegradedOptionsTest {
    @Test
    void outage_options_out_of_range_are_rejected_naming_the_option() {
        try (StoreSet stores = InMemoryStoreSet.builder().cipher(TestKeys.cipher()).open()) {
            ConfigurationServiceBuilder builder = ConfigurationService.builder(stores);
            assertThatThrownBy(() -> builder.usageBufferLimit(0)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("usageBufferLimit");
            assertThatThrownBy(() -> builder.recoveryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("recoveryBackoff max");
            assertThatThrownBy(() -> builder.healthCheckInterval(Duration.ZERO))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("healthCheckInterval");
            assertThatThrownBy(() -> builder.maxStaleness(Duration.ofMillis(1)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("maxStaleness");
            assertThatThrownBy(() -> builder.storeIdentity(" ")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("storeIdentity");
            assertThatThrownBy(() -> builder.snapshotFile(null)).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> ConfigurationService.opening(null)).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void a_service_on_a_store_that_answers_is_up_with_its_feed_listening_and_nothing_buffered() {
        try (StoreSet stores = InMemoryStoreSet.builder().cipher(TestKeys.cipher()).open();
             ConfigurationService service = ConfigurationService.builder(stores).noSnapshotFile().build()) {
            ServiceHealth health = service.health();
            assertThat(health.state()).isEqualTo(ServiceHealth.State.UP);
            assertThat(health.changeFeed()).isEqualTo("LISTENING");
            assertThat(health.bufferedUsage()).isZero();
            assertThat(health.snapshotFile()).isNull();
            assertThat(health.lastSuccessfulSync()).isNull();
            service.documents().names();
            assertThat(service.health().lastSuccessfulSync()).isNotNull();
        }
    }

    @Test
    void the_default_snapshot_file_sits_beside_the_sqlite_default() {
        assertThat(ConfigurationServiceBuilder.defaultSnapshotFile("default"))
                .isEqualTo(Path.of("data", "configstore.snapshot"));
        assertThat(ConfigurationServiceBuilder.defaultSnapshotFile("acme"))
                .isEqualTo(Path.of("data", "configstore-acme.snapshot"));
    }

    @Test
    void an_opener_that_fails_with_another_librarys_exception_is_named_by_its_type_not_its_message() {
        StoreOpener leaking = () -> {
            throw new IllegalStateException("cannot reach jdbc:x://db?password=sk_opener_secret");
        };
        assertThatThrownBy(() -> ConfigurationService.opening(leaking).noSnapshotFile().build())
                .isInstanceOf(io.configstore.error.StoreUnavailableException.class)
                .hasMessageContaining("java.lang.IllegalStateException, message not shown")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk_opener_secret"));
    }
}
