package io.configstore.engine;

import io.configstore.crypto.SecretCipher;
import io.configstore.crypto.StoreMetadata;
import io.configstore.error.CryptoException;
import io.configstore.internal.Arguments;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
        verifyOrRecord(cipher, metadata, keyId -> Optional.empty());
    }

    /**
     * Like {@link #verifyOrRecord(SecretCipher, StoreMetadata)}, and before recording a key id for the first time,
     * checks one stored secret written under that id ({@code storedUnder}) against the key
     * ({@link SecretCipher#matchesKeyOf}), so that a store written before check values were recorded never records a
     * wrong key as its own.
     *
     * @param storedUnder one stored value written under the given key id, if the store holds any
     * @throws CryptoException naming the key id when a key is not the one the store was written with
     */
    public static void verifyOrRecord(SecretCipher cipher, StoreMetadata metadata,
                                      Function<String, Optional<String>> storedUnder) {
        Arguments.requireNonNull("cipher", cipher);
        Arguments.requireNonNull("metadata", metadata);
        Arguments.requireNonNull("storedUnder", storedUnder);
        for (Map.Entry<String, String> key : cipher.keyCheckValues().entrySet()) {
            if (metadata.get(PREFIX + key.getKey()).isEmpty()) {
                Optional<String> sample = storedUnder.apply(key.getKey());
                if (sample.isPresent() && !cipher.matchesKeyOf(sample.get())) {
                    throw wrongKey(key.getKey());
                }
            }
            String recorded = metadata.putIfAbsent(PREFIX + key.getKey(), key.getValue());
            if (!MessageDigest.isEqual(recorded.getBytes(StandardCharsets.US_ASCII),
                    key.getValue().getBytes(StandardCharsets.US_ASCII))) {
                throw wrongKey(key.getKey());
            }
        }
    }

    private static CryptoException wrongKey(String keyId) {
        return new CryptoException("master key '" + keyId + "' is the wrong key for this store: its key-check value"
                + " differs from the one the store was written with; configure the key (or password) the store was"
                + " written with. Nothing was read or written.");
    }

    /** Forgets the recorded check value of a key that was removed, so that the id could be reused later. */
    public static void forget(String keyId, StoreMetadata metadata) {
        metadata.remove(PREFIX + keyId);
    }
}
