package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example of this module's README as written (between the markers), on a SQLite file. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void the_readme_example_runs_and_serves_from_memory() {
        Path databaseFile = dir.resolve("configstore.db");
        // README example start
        ChangeContext change = ChangeContext.by("ops", "first setup");
        try (StoreSet stores = SqliteStoreSet.builder().path(databaseFile)
                     .cipher(AesGcmSecretCipher.of("k1", AesGcmSecretCipher.generateKey())).open();
             ConfigurationService config = ConfigurationService.builder(stores)
                     .ttl(Duration.ofMinutes(5))                  // the bound on staleness if a notification is lost
                     .usageFlushInterval(Duration.ofSeconds(10))  // the most API key usage a crash can lose
                     .build()) {
            config.providers().create(NewProviderConfig.of("openai", "primary",
                    Json.parseObject("settings", "{\"url\":\"https://api.openai.com\"}")), change);
            ApiKeyMetadata key = config.apiKeys().store("openai", "prod", Secret.of("sk-example"), change);
            config.documents().update("app", doc -> doc.put("maxConnections", 20), change);

            ProviderConfig openai = config.providers().resolve("openai").orElseThrow();   // loads once
            config.providers().resolve("openai");                                          // from memory
            config.apiKeys().recordUsage(key.id());                                        // no disk write
            EffectiveConfig app = config.effective(EffectiveConfigLoader.builder("app")
                    .commandLine(List.of("--maxConnections=40")).build());

            System.out.println(openai.name() + " " + app.tree() + " " + config.statistics());
            // README example end
            assertThat(openai.name()).isEqualTo("primary");
            assertThat(app.tree().get("maxConnections").asInt()).isEqualTo(40);
            assertThat(config.statistics().hits()).isGreaterThanOrEqualTo(1);
            assertThat(config.statistics().pendingUsages()).isEqualTo(1);
        }
    }
}
