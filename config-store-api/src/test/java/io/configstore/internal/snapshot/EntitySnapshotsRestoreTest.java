package io.configstore.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.CryptoException;
import io.configstore.model.ApiKeyMetadata;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntitySnapshotsRestoreTest {
    private static ApiKeyMetadata key(String recordedKeyId) {
        return new ApiKeyMetadata("key-1", "default", "openai", "prod", true, 3, recordedKeyId, Instant.EPOCH,
                Instant.EPOCH, null, "alice", null);
    }

    private static final SecretBinding ROW = new SecretBinding("default", "openai", "prod", "key-1");

    @Test
    void a_snapshot_whose_key_is_gone_names_the_key_inside_its_ciphertext_not_the_one_recorded_beside_it() {
        String ciphertext = KeyRing.of(MasterKey.generateAes256("old")).encrypt(Secret.of("sk-restore"), ROW);
        KeyRing now = KeyRing.of(MasterKey.generateAes256("new"));

        assertThatThrownBy(() -> EntitySnapshots.requireRestorable(now, key("recorded-elsewhere"), ciphertext))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("API key 'key-1' cannot be rolled back")
                .hasMessageContaining("master key 'old'")
                .hasMessageNotContaining("recorded-elsewhere")
                .hasMessageNotContaining("sk-restore");
    }

    @Test
    void a_snapshot_the_cipher_decrypts_is_restorable() {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        String ciphertext = ring.encrypt(Secret.of("sk-restore"), ROW);

        assertThatCode(() -> EntitySnapshots.requireRestorable(ring, key("old"), ciphertext))
                .doesNotThrowAnyException();
        // Bound to its row: the same ciphertext for another key id is not restorable there.
        ApiKeyMetadata other = new ApiKeyMetadata("key-2", "default", "openai", "prod", true, 3, "old",
                Instant.EPOCH, Instant.EPOCH, null, "alice", null);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> EntitySnapshots.requireRestorable(ring, other, ciphertext))).isInstanceOf(CryptoException.class);
    }
}
