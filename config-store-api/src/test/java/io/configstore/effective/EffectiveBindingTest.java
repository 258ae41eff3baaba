package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EffectiveBindingTest {
    enum Mode { FAST, SAFE }

    record Limits(int maxConnections, UUID instance) {
    }

    record Settings(String endpoint, Mode mode, Limits limits, List<Integer> ports, Map<String, Boolean> features) {
    }

    /** Each problem names where its value came from: here, always the stored document. */
    private static final String ORIGIN = " (set by store: document 'app' revision 1)";

    private static EffectiveConfig effective(String json) {
        ConfigDocument doc = new ConfigDocument("default", "app", Json.parseObject("test", json), 1, 1,
                Instant.EPOCH, "alice", null);
        return EffectiveConfigLoader.builder("app").build().resolve(Optional.of(doc));
    }

    @Test
    void binding_reports_every_problem_with_its_path_at_once() {
        EffectiveConfig effective = effective("""
                {"endpoint":"https://a","mode":"TURBO",
                 "limits":{"maxConnections":"lots","instance":"soon"},
                 "ports":[80,"http",443],
                 "features":{"beta":true,"gamma":"perhaps"}}""");

        assertThatThrownBy(() -> effective.bind(Settings.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "mode: expected one of [FAST, SAFE], found a string" + ORIGIN,
                        "limits.maxConnections: expected an integer from -2147483648 to 2147483647 (int), found a"
                                + " string" + ORIGIN,
                        "limits.instance: expected a value readable as UUID, found a string" + ORIGIN,
                        "ports[1]: expected an integer from -2147483648 to 2147483647 (int), found a string"
                                + ORIGIN,
                        "features.gamma: expected a boolean (true or false), found a string" + ORIGIN));
    }

    @Test
    void binding_reports_a_wrong_shape_at_its_path() {
        EffectiveConfig effective = effective("{\"limits\":[1,2],\"ports\":{\"a\":1},\"features\":3}");

        assertThatThrownBy(() -> effective.bind(Settings.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "limits: expected a JSON object (Limits), found a list",
                        "ports: expected a JSON list, found an object",
                        "features: expected a JSON object, found an integer" + ORIGIN));
    }

    @Test
    void a_fitting_document_binds_and_a_problem_never_echoes_a_value() {
        Settings settings = effective("""
                {"endpoint":"https://a","mode":"SAFE","limits":{"maxConnections":5,"instance":"00000000-0000-0000-0000-000000000007"},
                 "ports":[80],"features":{"beta":true},"unknown":"ignored"}""").bind(Settings.class);

        assertThat(settings).isEqualTo(new Settings("https://a", Mode.SAFE, new Limits(5, new UUID(0, 7)),
                List.of(80), Map.of("beta", true)));
        assertThatThrownBy(() -> effective("{\"limits\":{\"maxConnections\":\"sk-secret-value\"}}")
                .bind(Settings.class)).isInstanceOf(ValidationException.class)
                .hasMessageNotContaining("sk-secret-value");
    }
}
