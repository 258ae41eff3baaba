package io.configstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.spi.IdempotencyLedger;
import io.configstore.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Null and malformed arguments of the history and idempotency helpers are ValidationExceptions, never NPEs. */
class HistoryArgumentsTest {
    private static final IdempotencyLedger<RuntimeException> EMPTY = new IdempotencyLedger<>() {
        @Override
        public Optional<IdempotencyRecord> find(String actor, String key) {
            return Optional.empty();
        }

        @Override
        public void record(IdempotencyRecord record) {
            // Nothing kept.
        }
    };

    @Test
    void requests_refuse_null_arguments() {
        assertThatThrownBy(() -> Requests.createProvider("default", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Requests.updateProvider("default", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Requests.storeKey(null, "openai", "prod")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Requests.rollback("default", null, "app", 1))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> IdempotentWrites.request(null, "default")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> IdempotentWrites.request("op", "default", (Object[]) null))
                .isInstanceOf(ValidationException.class);
        assertThat(Requests.storeKey("default", "openai", "prod").fingerprint()).hasSize(64);
    }

    @Test
    void idempotent_run_refuses_null_arguments() {
        ChangeContext change = ChangeContext.by("svc");
        assertThatThrownBy(() -> IdempotentWrites.run(null, change, Requests.deleteKey("default", "k1"),
                IdempotentWrites.NONE, Instant.now(), () -> null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> IdempotentWrites.run(EMPTY, null, Requests.deleteKey("default", "k1"),
                IdempotentWrites.NONE, Instant.now(), () -> null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> IdempotentWrites.run(EMPTY, change, null, IdempotentWrites.NONE, Instant.now(),
                () -> null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> IdempotentWrites.run(EMPTY, change, Requests.deleteKey("default", "k1"),
                IdempotentWrites.NONE, Instant.now(), null)).isInstanceOf(ValidationException.class);
        assertThat(IdempotentWrites.run(EMPTY, change, Requests.deleteKey("default", "k1"), IdempotentWrites.NONE,
                Instant.now(), () -> null)).isNull();
    }

    @Test
    void snapshots_and_json_refuse_null_arguments() {
        assertThatThrownBy(() -> EntitySnapshots.provider(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.apiKey(null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.document(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.entry(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.toApiKey(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.toEntry(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.ciphertextOf(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.withoutCiphertext(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Json.readTree(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void history_ids_are_checked_by_entity_kind() {
        assertThatThrownBy(() -> EntitySnapshots.requireEntityId(EntityKind.PROVIDER_CONFIG, "not an id"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not a valid id");
        assertThatThrownBy(() -> EntitySnapshots.requireEntityId(EntityKind.API_KEY, "-starts-with-dash"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EntitySnapshots.requireEntityId(null, "app"))
                .isInstanceOf(ValidationException.class);
        assertThat(EntitySnapshots.requireEntityId(EntityKind.CONFIG_DOCUMENT, "my app")).isEqualTo("my app");
        assertThat(EntitySnapshots.requireEntityId(EntityKind.API_KEY, "0f3c-key")).isEqualTo("0f3c-key");
    }

    @Test
    void an_idempotency_key_needs_a_named_actor() {
        assertThatThrownBy(() -> ChangeContext.unattributed().withIdempotencyKey("k"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("name the actor");
        assertThatThrownBy(() -> new ChangeContext(ChangeContext.UNATTRIBUTED, null, "k"))
                .isInstanceOf(ValidationException.class);
        assertThat(ChangeContext.by("billing").withIdempotencyKey("k").idempotencyKey()).isEqualTo("k");
    }

    @Test
    void entries_for_hosts_and_idempotency_records_hold_no_ciphertext() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ApiKeyMetadata key = new ApiKeyMetadata("k1", "default", "openai", "prod", true, 1, "main", now, now, null,
                "svc", null);
        HistoryEntry stored = new HistoryEntry(EntityKind.API_KEY, "default", "k1", 1, ChangeType.CREATE, now, "svc",
                null, Json.write(EntitySnapshots.apiKey(key, "v1:secret-ciphertext")));

        HistoryEntry shown = EntitySnapshots.withoutCiphertext(stored);

        assertThat(shown.snapshot()).doesNotContain("v1:").doesNotContain(EntitySnapshots.CIPHERTEXT);
        assertThat(EntitySnapshots.toApiKey(shown.snapshotJson())).isEqualTo(key);
        assertThat(Json.write(IdempotentWrites.HISTORY_ENTRY.write(stored))).doesNotContain("v1:");
        assertThat(EntitySnapshots.ciphertextOf(stored.snapshotJson())).isEqualTo("v1:secret-ciphertext");
    }

    @Test
    void secrets_compare_by_value() {
        assertThat(IdempotentWrites.sameSecret(Secret.of("sk-1"), Secret.of("sk-1"))).isTrue();
        assertThat(IdempotentWrites.sameSecret(Secret.of("sk-1"), Secret.of("sk-2"))).isFalse();
        assertThatThrownBy(() -> IdempotentWrites.sameSecret(null, Secret.of("sk-1")))
                .isInstanceOf(ValidationException.class);
    }
}
