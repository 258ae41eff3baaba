package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EffectiveConfigLoaderTest {

    static ConfigDocument stored(String json, long revision) {
        return new ConfigDocument("default", "app", Json.parseObject("test", json), 1, revision, Instant.EPOCH,
                "alice", null);
    }

    static final ConfigDocument APP = stored("""
            {"server":{"host":"localhost","port":8080,"maxConnections":10,"tls":false},
             "hosts":["a.example","b.example"],
             "ratio":0.5,
             "database":{"url":"jdbc:x","password":"s3cret"}}""", 3);

    @Test
    void a_later_layer_wins_per_leaf_across_store_environment_and_command_line() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_SERVER__PORT", "8081", "CONFIGSTORE_SERVER__HOST", "env-host"))
                .commandLine(List.of("--server.port=9090"))
                .build()
                .resolve(Optional.of(APP));

        ObjectNode tree = effective.tree();
        assertThat(tree.at("/server/port").asInt()).isEqualTo(9090);
        assertThat(tree.at("/server/host").asText()).isEqualTo("env-host");
        assertThat(tree.at("/server/maxConnections").asInt()).isEqualTo(10);

        Explanation port = effective.explain("server.port").orElseThrow();
        assertThat(port.origin()).isEqualTo(Origin.argument(0, "--server.port"));
        assertThat(port.overridden()).extracting(OverriddenValue::origin).containsExactly(
                Origin.environmentVariable("CONFIGSTORE_SERVER__PORT"), Origin.storedDocument("app", 3));
        assertThat(port.overridden()).extracting(o -> o.value().asInt()).containsExactly(8081, 8080);

        Explanation host = effective.explain("server.host").orElseThrow();
        assertThat(host.origin()).isEqualTo(Origin.environmentVariable("CONFIGSTORE_SERVER__HOST"));
        assertThat(host.overridden()).extracting(OverriddenValue::origin)
                .containsExactly(Origin.storedDocument("app", 3));

        Explanation untouched = effective.explain("server.maxConnections").orElseThrow();
        assertThat(untouched.origin().toString()).isEqualTo("store: document 'app' revision 3");
        assertThat(untouched.overridden()).isEmpty();
    }

    @Test
    void every_leaf_of_the_effective_tree_has_an_origin_and_the_report_redacts_secrets() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_DATABASE__PASSWORD", "from-env-pw"))
                .build()
                .resolve(Optional.of(APP));

        assertThat(effective.explainAll()).extracting(e -> e.path().toString()).containsExactly(
                "server.host", "server.port", "server.maxConnections", "server.tls", "hosts[0]", "hosts[1]",
                "ratio", "database.url", "database.password");
        String report = effective.originReport();
        assertThat(report).contains("database.password = \"[redacted]\"  from environment:"
                        + " CONFIGSTORE_DATABASE__PASSWORD")
                .contains("    overrode \"[redacted]\" from store: document 'app' revision 3")
                .contains("server.port = 8080  from store: document 'app' revision 3")
                .doesNotContain("s3cret").doesNotContain("from-env-pw");
        assertThat(effective.explain("database.password").orElseThrow().toString()).doesNotContain("from-env-pw");
        assertThat(effective.tree().at("/database/password").asText()).isEqualTo("from-env-pw");
    }

    @Test
    void environment_names_match_keys_in_any_case_or_separator_style() {
        ConfigDocument doc = stored("""
                {"serverPool":{"maxConnections":1,"idle-timeout":2,"retry_count":3}}""", 1);

        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of(
                        "CONFIGSTORE_SERVER_POOL__MAX_CONNECTIONS", "11",
                        "CONFIGSTORE_SERVERPOOL__IDLE_TIMEOUT", "12",
                        "CONFIGSTORE_server_pool__RetryCount", "13"))
                .commandLine(List.of("--server-pool.max-connections=21", "--SERVER_POOL.IDLE-TIMEOUT", "22"))
                .build()
                .resolve(Optional.of(doc));

        assertThat(Json.write(effective.tree()))
                .isEqualTo("{\"serverPool\":{\"maxConnections\":21,\"idle-timeout\":22,\"retry_count\":13}}");
        assertThat(effective.explain("serverPool.retry_count").orElseThrow().origin())
                .isEqualTo(Origin.environmentVariable("CONFIGSTORE_server_pool__RetryCount"));
    }

    @Test
    void list_elements_are_set_by_index_and_may_be_appended_in_order() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_HOSTS__1", "env-b", "CONFIGSTORE_HOSTS__2", "env-c",
                        "CONFIGSTORE_HOSTS__3", "env-d"))
                .commandLine(List.of("--hosts[0]=flag-a"))
                .build()
                .resolve(Optional.of(APP));

        assertThat(Json.write(effective.tree().get("hosts"))).isEqualTo("[\"flag-a\",\"env-b\",\"env-c\",\"env-d\"]");
        assertThat(effective.explain("hosts[1]").orElseThrow().overridden()).extracting(o -> o.value().asText())
                .containsExactly("b.example");
        assertThat(effective.explain("hosts[3]").orElseThrow().origin())
                .isEqualTo(Origin.environmentVariable("CONFIGSTORE_HOSTS__3"));
    }

    @Test
    void a_list_index_past_the_end_is_an_error_naming_the_variable() {
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_HOSTS__5", "x"), "CONFIGSTORE_", UnknownKeys.FAIL)
                .build();

        assertThatThrownBy(() -> loader.resolve(Optional.of(APP)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("CONFIGSTORE_HOSTS__5").contains("index 5").contains("2 element"));
    }

    @Test
    void values_are_coerced_to_the_type_at_their_path_in_the_document() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_SERVER__TLS", "TRUE", "CONFIGSTORE_RATIO", "0.75",
                        "CONFIGSTORE_HOSTS", "[\"x\",\"y\",\"z\"]",
                        "CONFIGSTORE_DATABASE", "{\"url\":\"jdbc:y\",\"pool\":4}"))
                .commandLine(List.of("--server.host", "8080"))
                .build()
                .resolve(Optional.of(APP));

        ObjectNode tree = effective.tree();
        assertThat(tree.at("/server/tls").isBoolean()).isTrue();
        assertThat(tree.at("/server/tls").booleanValue()).isTrue();
        assertThat(tree.at("/ratio").doubleValue()).isEqualTo(0.75);
        assertThat(tree.at("/server/host").isTextual()).isTrue();
        assertThat(tree.at("/hosts").size()).isEqualTo(3);
        // A JSON object merges key by key: the stored password stays, url is replaced, pool is added.
        assertThat(tree.at("/database/url").asText()).isEqualTo("jdbc:y");
        assertThat(tree.at("/database/pool").asInt()).isEqualTo(4);
        assertThat(tree.at("/database/password").asText()).isEqualTo("s3cret");
        assertThat(effective.explain("hosts[2]").orElseThrow().origin())
                .isEqualTo(Origin.environmentVariable("CONFIGSTORE_HOSTS"));
    }

    @Test
    void a_value_that_cannot_be_coerced_names_the_variable_the_path_and_the_type_but_not_the_value() {
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_SERVER__PORT", "eighty", "CONFIGSTORE_SERVER__TLS", "maybe"))
                .commandLine(List.of("--hosts={\"not\":\"a list\"}"))
                .build();

        assertThatThrownBy(() -> loader.resolve(Optional.of(APP)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "environment variable CONFIGSTORE_SERVER__PORT sets server.port, which must be an"
                                    + " integer (a whole number such as 8080), but its value is not one; correct or"
                                    + " remove it",
                            "environment variable CONFIGSTORE_SERVER__TLS sets server.tls, which must be a boolean"
                                    + " (true or false), but its value is not one; correct or remove it",
                            "args[0] --hosts sets hosts, which must be a JSON list (such as [\"a\",\"b\"]), but its"
                                    + " value is not one; correct or remove it");
                    assertThat(e.getMessage()).doesNotContain("eighty").doesNotContain("maybe");
                });
    }

    @Test
    void an_unknown_flag_is_an_error_by_default_and_ignored_when_the_host_says_so() {
        List<String> args = List.of("--server.prot=1", "input.txt", "--verbose", "--", "--not-an-option");

        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").commandLine(args).build()
                .resolve(Optional.of(APP)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] (an option): its segment 2 matches no key under server in document 'app'; check the"
                                + " spelling (any case or separator style matches), or let the host ignore unknown"
                                + " options (UnknownKeys.IGNORE)",
                        "args[2] (an option): its segment 1 matches no key at the top level in document 'app'; check"
                                + " the spelling (any case or separator style matches), or let the host ignore unknown"
                                + " options (UnknownKeys.IGNORE)"));

        EffectiveConfig lenient = EffectiveConfigLoader.builder("app").commandLine(args, UnknownKeys.IGNORE).build()
                .resolve(Optional.of(APP));
        assertThat(lenient.ignored()).containsExactly("--server.prot", "--verbose");
        assertThat(lenient.positionalArguments()).containsExactly("input.txt", "--not-an-option");
        assertThat(lenient.tree()).isEqualTo(APP.content());
    }

    @Test
    void boolean_flags_take_no_value_and_no_prefix_sets_false() {
        ConfigDocument doc = stored("{\"verbose\":false,\"cache\":true,\"name\":\"x\"}", 1);

        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .commandLine(List.of("--verbose", "file.txt", "--no-cache", "--name", "given"))
                .build()
                .resolve(Optional.of(doc));

        assertThat(Json.write(effective.tree())).isEqualTo("{\"verbose\":true,\"cache\":false,\"name\":\"given\"}");
        assertThat(effective.positionalArguments()).containsExactly("file.txt");
        assertThat(effective.explain("cache").orElseThrow().origin()).isEqualTo(Origin.argument(2, "--no-cache"));
        assertThat(effective.explain("name").orElseThrow().origin()).isEqualTo(Origin.argument(3, "--name"));
    }

    @Test
    void an_option_without_a_value_is_an_error() {
        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").commandLine(List.of("--server.port")).build()
                .resolve(Optional.of(APP)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --server.port needs a value: write --server.port=VALUE or --server.port VALUE"));
    }

    record Pool(int maxConnections, List<String> hosts, Map<String, String> labels, boolean tls) {
    }

    record Settings(String endpoint, Pool pool, double ratio) {
    }

    @Test
    void the_bound_type_supplies_keys_absent_from_the_document_and_their_types() {
        ConfigDocument doc = stored("{\"endpoint\":\"https://a\"}", 1);

        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .bindTo(Settings.class)
                .environment(Map.of("CONFIGSTORE_POOL__MAX_CONNECTIONS", "25", "CONFIGSTORE_POOL__HOSTS__0", "h0",
                        "CONFIGSTORE_POOL__LABELS__TEAM", "core", "CONFIGSTORE_RATIO", "2"))
                .commandLine(List.of("--pool.tls"))
                .build()
                .resolve(Optional.of(doc));

        assertThat(Json.write(effective.tree())).isEqualTo("{\"endpoint\":\"https://a\",\"pool\":{\"hosts\":[\"h0\"],"
                + "\"labels\":{\"team\":\"core\"},\"maxConnections\":25,\"tls\":true},\"ratio\":2}");
        Settings settings = effective.bind(Settings.class);
        assertThat(settings.pool()).isEqualTo(new Pool(25, List.of("h0"), Map.of("team", "core"), true));
        assertThat(settings.ratio()).isEqualTo(2.0);
    }

    @Test
    void the_bound_type_decides_the_type_of_a_coerced_value() {
        ConfigDocument doc = stored("{\"endpoint\":\"https://a\",\"pool\":{\"maxConnections\":null}}", 1);

        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").bindTo(Settings.class)
                .environment(Map.of("CONFIGSTORE_POOL__MAX_CONNECTIONS", "many")).build()
                .resolve(Optional.of(doc)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("pool.maxConnections, which must be an integer"));
    }

    @Test
    void host_layers_apply_at_the_position_the_host_chose() {
        ObjectNode defaults = Json.parseObject("defaults", "{\"server\":{\"port\":1,\"timeout\":30},\"extra\":true}");
        Properties system = new Properties();
        system.setProperty("app.server.timeout", "45");
        system.setProperty("app.server.port", "7070");
        system.setProperty("java.version", "17");

        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .addLayer(LayerPosition.BELOW_STORE, ConfigLayer.document("defaults", "classpath:/defaults.json",
                        defaults))
                .addLayer(LayerPosition.ABOVE_ENVIRONMENT, ConfigLayer.systemProperties(system, "app."))
                .addLayer(LayerPosition.ABOVE_COMMAND_LINE, ConfigLayer.properties("pinned",
                        Map.of("server.host", "pinned-host"), "", UnknownKeys.FAIL))
                .environment(Map.of("CONFIGSTORE_SERVER__PORT", "8081"))
                .commandLine(List.of("--server.host=flag-host"))
                .build()
                .resolve(Optional.of(APP));

        assertThat(effective.explain("extra").orElseThrow().origin())
                .isEqualTo(new Origin("defaults", "classpath:/defaults.json"));
        assertThat(effective.explain("server.timeout").orElseThrow().origin())
                .isEqualTo(new Origin("system properties", "app.server.timeout"));
        assertThat(effective.explain("server.timeout").orElseThrow().value().asInt()).isEqualTo(45);
        Explanation port = effective.explain("server.port").orElseThrow();
        assertThat(port.value().asInt()).isEqualTo(7070);
        assertThat(port.overridden()).extracting(o -> o.origin().layer())
                .containsExactly("environment", "store", "defaults");
        Explanation host = effective.explain("server.host").orElseThrow();
        assertThat(host.value().asText()).isEqualTo("pinned-host");
        assertThat(host.overridden()).extracting(o -> o.origin().layer()).containsExactly("command line", "store");
    }

    @Test
    void the_environment_ignores_other_prefixes_and_configstores_own_variables() {
        ConfigDocument doc = stored("{\"dbPath\":\"stored\",\"masterKey\":\"stored\",\"port\":1}", 1);

        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_DB_PATH", "/tmp/x.db", "CONFIGSTORE_MASTER_KEY", "a2V5",
                        "PORT", "5", "MYAPP_PORT", "6", "CONFIGSTORE_NOT_A_KEY", "7"))
                .build()
                .resolve(Optional.of(doc));

        assertThat(effective.tree()).isEqualTo(doc.content());
        assertThat(effective.ignored()).containsExactly("CONFIGSTORE_NOT_A_KEY");

        EffectiveConfig custom = EffectiveConfigLoader.builder("app")
                .environment(Map.of("MYAPP_PORT", "6"), "MYAPP_", UnknownKeys.FAIL)
                .build()
                .resolve(Optional.of(doc));
        assertThat(custom.tree().get("port").asInt()).isEqualTo(6);
    }

    @Test
    void a_list_replaced_by_a_higher_layer_reports_every_element_it_overrode() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .commandLine(List.of("--hosts=[\"only\"]"))
                .build()
                .resolve(Optional.of(APP));

        Explanation only = effective.explain("hosts[0]").orElseThrow();
        assertThat(only.overridden()).extracting(o -> o.path().toString() + "=" + o.value().asText())
                .containsExactly("hosts[0]=a.example", "hosts[1]=b.example");
        assertThat(effective.explain("hosts[1]")).isEmpty();
    }

    @Test
    void without_a_stored_document_the_other_layers_still_apply() {
        ObjectNode defaults = Json.parseObject("defaults", "{\"port\":1}");
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .addLayer(LayerPosition.BELOW_STORE, ConfigLayer.document("defaults", "built-in", defaults))
                .commandLine(List.of("--port=2"))
                .build()
                .resolve(Optional.empty());

        assertThat(effective.tree().get("port").asInt()).isEqualTo(2);
        assertThat(effective.stored()).isEmpty();
        assertThat(effective.toString()).isEqualTo("EffectiveConfig[document 'app', 1 values, nothing stored]");
    }

    @Test
    void explain_of_a_path_that_is_not_a_leaf_is_empty_and_a_malformed_path_is_a_validation_error() {
        EffectiveConfig effective = EffectiveConfigLoader.builder("app").build().resolve(Optional.of(APP));

        assertThat(effective.explain("server")).isEmpty();
        assertThat(effective.explain("absent.key")).isEmpty();
        assertThatThrownBy(() -> effective.explain("server..port")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("server..port");
        JsonNode port = effective.explain(ConfigPath.parse("server.port")).orElseThrow().value();
        assertThat(port.asInt()).isEqualTo(8080);
    }

    @Test
    void resolving_a_document_of_another_name_is_refused() {
        ConfigDocument other = new ConfigDocument("default", "other", Json.object(), 1, 1, Instant.EPOCH, "a", null);

        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").build().resolve(Optional.of(other)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'other'");
    }

    @Test
    void null_names_or_values_in_a_map_and_over_deep_json_are_validation_errors() {
        java.util.HashMap<String, String> withNull = new java.util.HashMap<>();
        withNull.put("CONFIGSTORE_PORT", null);
        assertThatThrownBy(() -> ConfigLayer.environment(withNull)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("CONFIGSTORE_PORT");

        String deep = "[".repeat(70) + "]".repeat(70);
        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").commandLine(List.of("--hosts=" + deep)).build()
                .resolve(Optional.of(APP))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void explanations_hand_out_copies() {
        ConfigDocument doc = stored("{\"empty\":{}}", 1);
        EffectiveConfig effective = EffectiveConfigLoader.builder("app").build().resolve(Optional.of(doc));

        ((ObjectNode) effective.explain("empty").orElseThrow().value()).put("sneaky", 1);

        assertThat(effective.explain("empty").orElseThrow().value().size()).isZero();
    }
}
