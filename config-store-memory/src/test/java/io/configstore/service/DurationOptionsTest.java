package io.configstore.service;

import io.configstore.memory.InMemoryStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.ExtremeDurations;
import io.configstore.testkit.TestKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every Duration option of the service's builder refuses the extremes at the door (issue 18, item 7). */
class DurationOptionsTest {

    @Test
    void every_duration_option_refuses_extreme_values_at_the_door() {
        try (StoreSet stores = InMemoryStoreSet.builder().cipher(TestKeys.cipher()).open()) {
            ConfigurationServiceBuilder builder = ConfigurationService.builder(stores);
            ExtremeDurations.assertEachRefused("snapshotInterval", builder::snapshotInterval);
            ExtremeDurations.assertEachRefused("maxStaleness", builder::maxStaleness);
            ExtremeDurations.assertEachRefused("healthCheckInterval", builder::healthCheckInterval);
            ExtremeDurations.assertEachRefused("ttl", builder::ttl);
            ExtremeDurations.assertEachRefused("usageFlushInterval", builder::usageFlushInterval);
            ExtremeDurations.assertEachRefused("recoveryBackoff initial",
                    d -> builder.recoveryBackoff(d, Duration.ofSeconds(1)));
            ExtremeDurations.assertEachRefused("recoveryBackoff max",
                    d -> builder.recoveryBackoff(Duration.ofMillis(10), d));
        }
    }
}
