package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder's validation, tenant scoping and the closed state: behaviour that does not depend on the backend. */
class ConfigurationServiceBuilderTest {
    private static final ChangeContext CHANGE = ChangeContext.by("builder-test");
    private final StoreSet stores = InMemoryStoreSet.builder().cipher(TestKeys.cipher()).open();

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Test
    void options_out_of_range_are_refused_naming_the_option_and_the_range() {
        ConfigurationServiceBuilder builder = ConfigurationService.builder(stores);

        assertThatThrownBy(() -> builder.ttl(Duration.ZERO)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("ttl must be between PT0.001S and PT24H");
        assertThatThrownBy(() -> builder.ttl(Duration.ofDays(2))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> builder.ttl(null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("ttl must not be null");
        assertThatThrownBy(() -> builder.usageFlushInterval(Duration.ofMillis(1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("usageFlushInterval");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("clock");
        assertThatThrownBy(() -> builder.tenant("not a tenant!")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("tenantId");
        assertThatThrownBy(() -> ConfigurationService.builder(null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("stores");
    }

    @Test
    void the_defaults_are_five_minutes_of_ttl_and_ten_seconds_between_usage_flushes() {
        try (ConfigurationService service = ConfigurationService.builder(stores).build()) {
            assertThat(service.ttl()).isEqualTo(Duration.ofMinutes(5));
            assertThat(service.usageFlushInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(service.tenantId()).isEqualTo("default");
        }
    }

    @Test
    void a_service_sees_and_tells_only_its_own_tenant() throws Exception {
        stores.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        try (ConfigurationService acme = ConfigurationService.builder(stores).tenant("acme").build()) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            acme.subscribe(events::add);

            stores.documents().save("default-only", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
            acme.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

            ChangeEvent told = events.poll(60, TimeUnit.SECONDS);
            assertThat(told).isNotNull();
            assertThat(told.tenantId()).isEqualTo("acme");
            assertThat(told.key()).isEqualTo("app");
            assertThat(acme.documents().names()).containsExactly("app");
            assertThat(stores.forTenant("acme").documents().load("app")).isPresent();
        }
    }

    @Test
    void a_closed_service_refuses_every_call_and_leaves_the_store_set_open() {
        ConfigurationService service = ConfigurationService.builder(stores).build();
        service.close();
        service.close();

        assertThatThrownBy(() -> service.documents().names()).isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> service.providers().resolve("openai")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> service.subscribe(e -> { })).isInstanceOf(StorageException.class);
        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    void a_listener_that_fails_does_not_stop_the_others() throws Exception {
        try (ConfigurationService service = ConfigurationService.builder(stores).build()) {
            service.subscribe(event -> {
                throw new IllegalStateException("a broken listener");
            });
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            service.subscribe(events::add);

            service.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

            ChangeEvent told = events.poll(60, TimeUnit.SECONDS);
            assertThat(told).isNotNull();
            assertThat(told.key()).isEqualTo("app");
        }
    }
}
