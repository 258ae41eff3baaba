package io.configstore.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBundleTest {
    private static final ChangeContext OPS = ChangeContext.by("ops", "bundle test");
    private static final char[] PASSWORD = "correct horse battery".toCharArray();
    private final SecretCipher sourceCipher = AesGcmSecretCipher.of("source", AesGcmSecretCipher.generateKey());
    private final SecretCipher targetCipher = AesGcmSecretCipher.of("target", AesGcmSecretCipher.generateKey());

    @TempDir
    Path dir;

    private StoreSet source;

    @BeforeEach
    void fillSource() {
        source = InMemoryStoreSet.builder().cipher(sourceCipher).open();
        source.providers().create(NewProviderConfig.of("openai", "prod", Json.parseObject("s", "{\"model\":\"a\"}")),
                OPS);
        source.providers().create(NewProviderConfig.of("openai", "backup", Json.object()).asDefault()
                .withPriority(5).withEnabled(false), OPS);
        source.apiKeys().store("openai", "prod", Secret.of("sk-live-1"), OPS);
        ApiKeyMetadata old = source.apiKeys().store("openai", "old", Secret.of("sk-old"), OPS);
        source.apiKeys().deactivate(old.id(), OPS);
        source.documents().save("app", Json.parseObject("d", "{\"port\":8080}"), 3, 0, OPS);
        TenantStores acme = source.forTenant("acme");
        acme.providers().create(NewProviderConfig.of("anthropic", "main", Json.object()), OPS);
        acme.apiKeys().store("anthropic", "main", Secret.of("sk-acme"), OPS);
    }

    @AfterEach
    void close() {
        source.close();
    }

    private StoreSet sqliteTarget() {
        return SqliteStoreSet.builder().path(dir.resolve("target.db")).cipher(targetCipher).open();
    }

    @Test
    void a_bundle_round_trips_every_tenant_into_another_backend() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = sqliteTarget()) {
            ImportReport report = StoreBundle.importInto(target, bundle, PASSWORD,
                    ImportOptions.skipExisting(OPS), ImportProgress.NONE);
            assertThat(report.imported()).isEqualTo(7);
            assertThat(report.skipped()).isZero();
            assertThat(report.failed()).isZero();

            assertThat(target.tenantIds()).containsExactly("acme", "default");
            ProviderConfig backup = target.providers().listByName("backup").get(0);
            assertThat(backup.isDefault()).isTrue();
            assertThat(backup.enabled()).isFalse();
            assertThat(backup.priority()).isEqualTo(5);
            assertThat(target.providers().listByName("prod").get(0).settings().get("model").asText())
                    .isEqualTo("a");
            ApiKeyMetadata prod = target.apiKeys().listByType("openai").stream()
                    .filter(key -> key.keyName().equals("prod")).findFirst().orElseThrow();
            assertThat(target.apiKeys().reveal(prod.id()).reveal()).isEqualTo("sk-live-1");
            assertThat(prod.encryptionKeyId()).isEqualTo("target");
            assertThat(target.apiKeys().listByType("openai").stream()
                    .filter(key -> key.keyName().equals("old")).findFirst().orElseThrow().active()).isFalse();
            assertThat(target.documents().load("app").orElseThrow().formatVersion()).isEqualTo(3);
            assertThat(target.documents().load("app").orElseThrow().content().get("port").asInt()).isEqualTo(8080);
            ApiKeyMetadata acme = target.forTenant("acme").apiKeys().list().get(0);
            assertThat(target.forTenant("acme").apiKeys().reveal(acme.id()).reveal()).isEqualTo("sk-acme");
        }
    }

    @Test
    void the_bundle_holds_no_plaintext_secret_and_no_store_ciphertext() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        String text = Json.write(bundle);
        assertThat(text).doesNotContain("sk-live-1", "sk-old", "sk-acme", "correct horse");
        assertThat(bundle.get("format").asText()).isEqualTo(StoreBundle.FORMAT);
        assertThat(bundle.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(bundle.at("/encryption/kdf").asText()).startsWith("$argon2id$");
    }

    @Test
    void a_second_import_skips_everything_and_changes_nothing() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = sqliteTarget()) {
            StoreBundle.importInto(target, bundle, PASSWORD, ImportOptions.skipExisting(OPS),
                    ImportProgress.NONE);
            long versionBefore = target.providers().listByName("prod").get(0).version();
            ImportReport second = StoreBundle.importInto(target, bundle, PASSWORD, ImportOptions.skipExisting(OPS),
                    ImportProgress.NONE);
            assertThat(second.imported()).isZero();
            assertThat(second.skipped()).isEqualTo(7);
            assertThat(second.items()).allSatisfy(item -> assertThat(item.detail()).isEqualTo("exists, identical"));
            assertThat(target.providers().listByName("prod").get(0).version()).isEqualTo(versionBefore);
        }
    }

    @Test
    void a_dry_run_reports_the_differences_and_writes_nothing() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            target.providers().create(NewProviderConfig.of("openai", "prod", Json.object()), OPS);
            target.apiKeys().store("openai", "prod", Secret.of("sk-other"), OPS);
            ImportReport report = StoreBundle.importInto(target, bundle, PASSWORD,
                    ImportOptions.skipExisting(OPS).asDryRun(), ImportProgress.NONE);
            assertThat(report.dryRun()).isTrue();
            assertThat(report.imported()).isEqualTo(5);
            assertThat(report.skipped()).isEqualTo(2);
            assertThat(report.items()).filteredOn(item -> item.outcome() == ImportItem.Outcome.SKIPPED)
                    .extracting(ImportItem::detail)
                    .containsExactlyInAnyOrder("exists, differs in settings, default", "exists, differs in secret");
            assertThat(report.summary()).startsWith("dry run: would import 5");
            assertThat(target.tenantIds()).containsExactly("default");
            assertThat(target.providers().list()).hasSize(1);
            assertThat(target.documents().names()).isEmpty();
        }
    }

    @Test
    void in_skip_mode_an_existing_entry_is_skipped_and_counted_and_the_rest_imported() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            target.documents().save("app", Json.parseObject("d", "{\"port\":1}"), 1, 0, OPS);
            ImportReport report = StoreBundle.importInto(target, bundle, PASSWORD, ImportOptions.skipExisting(OPS),
                    ImportProgress.NONE);
            assertThat(report.skipped()).isEqualTo(1);
            assertThat(report.imported()).isEqualTo(6);
            assertThat(target.documents().load("app").orElseThrow().content().get("port").asInt()).isEqualTo(1);
        }
    }

    @Test
    void in_fail_mode_an_existing_entry_fails_the_import_and_nothing_is_written() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            target.documents().save("app", Json.parseObject("d", "{\"port\":1}"), 1, 0, OPS);
            ImportOptions failMode = new ImportOptions(OnExisting.FAIL, false, OPS);
            assertThatThrownBy(() -> StoreBundle.importInto(target, bundle, PASSWORD, failMode,
                    ImportProgress.NONE))
                    .isInstanceOf(DuplicateException.class)
                    .hasMessageContaining("document app in tenant default")
                    .hasMessageContaining("nothing was imported");
            assertThat(target.tenantIds()).containsExactly("default");
            assertThat(target.providers().list()).isEmpty();
            assertThat(target.apiKeys().list()).isEmpty();
        }
    }

    @Test
    void a_wrong_export_password_is_a_crypto_error_and_nothing_is_imported() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            assertThatThrownBy(() -> StoreBundle.importInto(target, bundle, "wrong password!".toCharArray(),
                    ImportOptions.skipExisting(OPS), ImportProgress.NONE))
                    .isInstanceOf(CryptoException.class)
                    .hasMessageContaining("the export password is wrong")
                    .hasMessageContaining("nothing was imported");
            assertThat(target.tenantIds()).isEmpty();
        }
    }

    @Test
    void a_moved_secret_does_not_decrypt_under_another_key_name() {
        ObjectNode bundle = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
        ObjectNode firstKey = (ObjectNode) bundle.at("/tenants/1/apiKeys/0");
        firstKey.put("keyName", "renamed");
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            assertThatThrownBy(() -> StoreBundle.importInto(target, bundle, PASSWORD,
                    ImportOptions.skipExisting(OPS), ImportProgress.NONE))
                    .isInstanceOf(CryptoException.class);
            assertThat(target.tenantIds()).isEmpty();
        }
    }

    @Test
    void malformed_bundles_and_short_passwords_are_validation_errors() {
        try (StoreSet target = InMemoryStoreSet.builder().cipher(targetCipher).open()) {
            assertThatThrownBy(() -> StoreBundle.importInto(target, Json.parseObject("b", "{\"format\":\"x\"}"),
                    PASSWORD, ImportOptions.skipExisting(OPS), ImportProgress.NONE))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("not a configstore bundle");
            ObjectNode newer = StoreBundle.export(source, PASSWORD, ImportProgress.NONE);
            newer.put("formatVersion", 99);
            assertThatThrownBy(() -> StoreBundle.importInto(target, newer, PASSWORD,
                    ImportOptions.skipExisting(OPS), ImportProgress.NONE))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("newer configstore");
            assertThat(target.tenantIds()).isEmpty();
        }
        assertThatThrownBy(() -> StoreBundle.export(source, "short".toCharArray(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least 8");
    }

    @Test
    void copy_moves_everything_between_backends_and_is_idempotent() {
        try (StoreSet target = sqliteTarget()) {
            ImportReport first = StoreBundle.copy(source, target, ImportOptions.skipExisting(OPS),
                    ImportProgress.NONE);
            assertThat(first.imported()).isEqualTo(7);
            ImportReport second = StoreBundle.copy(source, target, ImportOptions.skipExisting(OPS),
                    ImportProgress.NONE);
            assertThat(second.skipped()).isEqualTo(7);
            assertThat(target.forTenant("acme").providers().list()).hasSize(1);
        }
    }
}
