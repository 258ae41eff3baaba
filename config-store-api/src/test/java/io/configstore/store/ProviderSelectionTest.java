package io.configstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    private static ProviderConfig provider(String id, String name, boolean isDefault, boolean enabled, int priority) {
        return new ProviderConfig(id, "default", "openai", name, Json.object(), isDefault, enabled, priority, 1, NOW,
                NOW, "ops", null);
    }

    @Test
    void an_enabled_default_wins_over_a_better_priority() {
        ProviderConfig byDefault = provider("a", "default-one", true, true, 50);
        ProviderConfig better = provider("b", "better", false, true, 1);
        assertThat(ProviderSelection.resolve(List.of(better, byDefault))).contains(byDefault);
    }

    @Test
    void a_disabled_default_falls_back_to_the_best_enabled_priority_then_name() {
        ProviderConfig disabledDefault = provider("a", "a", true, false, 1);
        ProviderConfig second = provider("b", "zeta", false, true, 5);
        ProviderConfig first = provider("c", "alpha", false, true, 5);
        ProviderConfig worse = provider("d", "beta", false, true, 9);
        assertThat(ProviderSelection.resolve(List.of(disabledDefault, second, worse, first))).contains(first);
    }

    @Test
    void nothing_resolves_when_no_provider_is_enabled() {
        assertThat(ProviderSelection.resolve(List.of(provider("a", "a", true, false, 1)))).isEmpty();
        assertThat(ProviderSelection.resolve(List.of())).isEmpty();
    }

    @Test
    void the_successor_of_a_deleted_default_prefers_enabled_then_takes_the_best_disabled() {
        ProviderConfig disabledBest = provider("a", "a", false, false, 1);
        ProviderConfig enabledWorse = provider("b", "b", false, true, 9);
        assertThat(ProviderSelection.successor(List.of(disabledBest, enabledWorse))).contains(enabledWorse);
        assertThat(ProviderSelection.successor(List.of(disabledBest))).contains(disabledBest);
        assertThat(ProviderSelection.successor(List.of())).isEmpty();
    }
}
