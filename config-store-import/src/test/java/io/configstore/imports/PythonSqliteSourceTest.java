package io.configstore.imports;

import static io.configstore.imports.ImportTargets.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.crypto.Fernet;
import io.configstore.crypto.FernetKey;
import io.configstore.crypto.KdfParameters;
import io.configstore.crypto.PasswordKeyDerivation;
import io.configstore.crypto.Secret;
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python service's database, laid out as such a service writes it (SQLAlchemy-style tables, ISO timestamps, 0/1
 * booleans), its tokens made by our Fernet writer under a key derived from a password with PBKDF2-HMAC-SHA256 and
 * 100,000 iterations, as the {@code cryptography} documentation's recipe does.
 */
class PythonSqliteSourceTest {
    static final char[] PASSWORD = "service master password".toCharArray();
    static final byte[] SALT = "configstore-salt".getBytes(StandardCharsets.UTF_8);
    static final int ITERATIONS = 100_000;

    @TempDir
    Path dir;

    private StoreSet target;
    private Path database;
    private FernetKey fernetKey;

    @BeforeEach
    void build() throws Exception {
        byte[] material = PasswordKeyDerivation.allowingWeakParameters().deriveKey(PASSWORD.clone(),
                KdfParameters.pbkdf2(ITERATIONS, SALT));
        fernetKey = FernetKey.fromBytes(material);
        database = dir.resolve("service.db");
        writeServiceDatabase(database, Fernet.of(fernetKey));
        target = ImportTargets.sqlite(dir.resolve("target.db"), ImportTargets.cipher());
    }

    @AfterEach
    void close() {
        target.close();
    }

    static void writeServiceDatabase(Path file, Fernet fernet) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE provider_configs (id INTEGER PRIMARY KEY, provider_type VARCHAR(50)"
                    + " NOT NULL, name VARCHAR(100) NOT NULL, is_default BOOLEAN DEFAULT 0, settings TEXT,"
                    + " created_at DATETIME, updated_at DATETIME)");
            statement.execute("CREATE TABLE api_keys (id INTEGER PRIMARY KEY, provider_type VARCHAR(50) NOT NULL,"
                    + " key_name VARCHAR(100) NOT NULL, encrypted_key TEXT NOT NULL, is_active BOOLEAN DEFAULT 1,"
                    + " created_at DATETIME, updated_at DATETIME, last_used_at DATETIME)");
            statement.execute("INSERT INTO provider_configs VALUES"
                    + " (1, 'openai', 'primary', 1, '{\"model\": \"gpt-4o\", \"temperature\": 0.2}',"
                    + " '2024-03-01 10:00:00.000000', '2024-05-02 11:30:00.000000'),"
                    + " (2, 'openai', 'fallback', 0, '{\"model\": \"gpt-4o-mini\"}', '2024-03-02 09:00:00', NULL),"
                    + " (3, 'anthropic', 'main', 1, NULL, '2024-04-01 08:00:00', '2024-04-01 08:00:00')");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_keys VALUES"
                    + " (?, ?, ?, ?, ?, '2024-03-01 10:00:00', '2024-03-01 10:00:00', ?)")) {
                row(insert, 7, "openai", "primary", fernet.encrypt(bytes("sk-py-openai")), 1, "2024-06-01 12:00:00");
                row(insert, 8, "openai", "old", fernet.encrypt(bytes("sk-py-old")), 0, null);
                row(insert, 9, "anthropic", "main", fernet.encrypt(bytes("sk-py-ant")), 1, null);
            }
        }
    }

    private static void row(PreparedStatement insert, int id, String type, String name, String token, int active,
                            String lastUsed) throws Exception {
        insert.setInt(1, id);
        insert.setString(2, type);
        insert.setString(3, name);
        insert.setString(4, token);
        insert.setInt(5, active);
        insert.setString(6, lastUsed);
        insert.executeUpdate();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private PythonSqliteSource source() {
        return PythonSqliteSource.withPassword(database, PASSWORD, SALT, ITERATIONS);
    }

    @Test
    void a_clean_import_with_the_password_keeps_settings_defaults_activity_and_source_ids_and_times() {
        ImportReport report = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.failed()).isZero();
        assertThat(report.imported()).isEqualTo(7);
        assertThat(report.verifiedSecrets()).isEqualTo(3);
        ProviderConfig openai = target.providers().getDefault("openai").orElseThrow();
        assertThat(openai.name()).isEqualTo("primary");
        assertThat(openai.settings().get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(target.providers().getDefault("anthropic").orElseThrow().settings().isEmpty()).isTrue();
        assertThat(ImportTargets.reveal(target, "openai", "primary")).isEqualTo("sk-py-openai");
        assertThat(ImportTargets.reveal(target, "openai", "old")).isEqualTo("sk-py-old");
        assertThat(ImportTargets.key(target, "openai", "old").active()).isFalse();
        assertThat(target.apiKeys().findActive("openai").orElseThrow().keyName()).isEqualTo("primary");

        JsonNode record = target.documents().load(PythonSqliteSource.RECORD_DOCUMENT).orElseThrow().content();
        assertThat(record.get("providers").get(0).get("sourceId").asText()).isEqualTo("1");
        assertThat(record.get("providers").get(0).get("updatedAt").asText()).isEqualTo("2024-05-02 11:30:00.000000");
        assertThat(record.get("apiKeys").get(0).get("lastUsedAt").asText()).isEqualTo("2024-06-01 12:00:00");
        assertThat(record.toString()).doesNotContain("sk-py");
    }

    @Test
    void the_fernet_key_in_its_base64_form_works_as_well_and_a_second_run_changes_nothing() {
        PythonSqliteSource byKey = PythonSqliteSource.withFernetKey(database, fernetKey.encoded());
        assertThat(byKey.importInto(target, ImportTargets.skip(), ImportProgress.NONE).imported()).isEqualTo(7);
        int rows = ImportTargets.rows(target);

        ImportReport again = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(again.imported()).isZero();
        assertThat(again.skipped()).isEqualTo(7);
        assertThat(again.items()).allSatisfy(item -> assertThat(item.detail()).isEqualTo("exists, identical"));
        assertThat(ImportTargets.rows(target)).isEqualTo(rows);
    }

    @Test
    void re_importing_reports_no_drift_for_rows_the_first_import_wrote_whatever_the_source_said_of_defaults() throws Exception {
        // openai: no row flagged default (the store makes the first one its default); anthropic: two rows flagged.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE provider_configs SET is_default = 0 WHERE provider_type = 'openai'");
            statement.execute("INSERT INTO provider_configs VALUES (4, 'anthropic', 'backup', 1, NULL,"
                    + " '2024-04-02 08:00:00', NULL)");
        }
        ImportReport first = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(first.failed()).isZero();
        assertThat(target.providers().getDefault("openai").orElseThrow().name()).isEqualTo("primary");
        assertThat(target.providers().getDefault("anthropic").orElseThrow().name())
                .as("the first row flagged default, in the source's order").isEqualTo("main");

        ImportReport again = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(again.imported()).isZero();
        assertThat(again.items()).allSatisfy(item -> assertThat(item.detail()).isEqualTo("exists, identical"));
    }

    @Test
    void a_dry_run_plans_and_writes_nothing() {
        ImportReport plan = source().importInto(target, ImportTargets.skip().asDryRun(), ImportProgress.NONE);
        assertThat(plan.imported()).isEqualTo(7);
        assertThat(plan.verifiedSecrets()).isZero();
        assertThat(ImportTargets.rows(target)).isZero();
    }

    @Test
    void a_conflict_is_skipped_or_fails_the_whole_import() {
        target.apiKeys().store("anthropic", "main", Secret.of("sk-newer"), OPS);

        assertThatThrownBy(() -> source().importInto(target, ImportTargets.fail(), ImportProgress.NONE))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("apiKey anthropic/main");
        assertThat(ImportTargets.rows(target)).isEqualTo(1);

        ImportReport report = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.imported()).isEqualTo(6);
        assertThat(ImportTargets.reveal(target, "anthropic", "main")).isEqualTo("sk-newer");
    }

    @Test
    void a_wrong_password_or_key_is_a_clear_crypto_error_and_nothing_is_imported() {
        assertThatThrownBy(() -> PythonSqliteSource.withPassword(database, "wrong password".toCharArray(), SALT,
                ITERATIONS).importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("table api_keys row id=7 (openai/primary)")
                .hasMessageContaining("HMAC does not match")
                .hasMessageContaining("nothing was imported");
        assertThatThrownBy(() -> PythonSqliteSource.withFernetKey(database, FernetKey.generate().encoded())
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(CryptoException.class);
        assertThat(ImportTargets.rows(target)).isZero();
    }

    @Test
    void a_database_of_another_shape_or_a_missing_file_is_a_validation_error() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + other);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE provider_configs (id INTEGER)");
        }
        assertThatThrownBy(() -> PythonSqliteSource.withFernetKey(other, fernetKey.encoded())
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no table api_keys");
        assertThatThrownBy(() -> PythonSqliteSource.withFernetKey(dir.resolve("absent.db"), fernetKey.encoded())
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("does not exist");

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE provider_configs SET settings = '{not json' WHERE id = 2");
        }
        assertThatThrownBy(() -> source().importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("table provider_configs row id=2: column settings is not valid JSON");
        assertThat(ImportTargets.rows(target)).isZero();
    }
}
