package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.model.Arguments;
import io.configstore.store.StoreMetadata;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Proves at open that the configured master keys are the ones a store was written with. The first time a store sees
 * a key id it records the key's check value ({@link SecretCipher#keyCheckValues()}); every later open compares, so
 * that a wrong key or password fails at once, as a wrong key, naming the key id, instead of as unreadable rows later.
 * Backends call {@link #verifyOrRecord} when they open.
 */
public final class KeyChecks {
    /** The metadata name under which a key's check value is kept: this prefix and the key id. */
    public static final String PREFIX = "key-check:";

    private KeyChecks() {
    }

    /**
     * Compares every key of {@code cipher} with the check value the store recorded for its id, recording the ones
     * seen for the first time.
     *
     * @throws CryptoException naming the key id when a key is not the one the store was written with
     */
    public static void verifyOrRecord(SecretCipher cipher, StoreMetadata metadata) {
        Arguments.requireNonNull("cipher", cipher);
        Arguments.requireNonNull("metadata", metadata);
        for (Map.Entry<String, String> key : cipher.keyCheckValues().entrySet()) {
            String recorded = metadata.putIfAbsent(PREFIX + key.getKey(), key.getValue());
            if (!MessageDigest.isEqual(recorded.getBytes(StandardCharsets.US_ASCII),
                    key.getValue().getBytes(StandardCharsets.US_ASCII))) {
                throw new CryptoException("master key '" + key.getKey() + "' is the wrong key for this store: its"
                        + " key-check value differs from the one recorded when the store was written; configure the"
                        + " key (or password) the store was written with. Nothing was read or written.");
            }
        }
    }

    /** Forgets the recorded check value of a key that was removed, so that the id could be reused later. */
    public static void forget(String keyId, StoreMetadata metadata) {
        metadata.remove(PREFIX + keyId);
    }
}
