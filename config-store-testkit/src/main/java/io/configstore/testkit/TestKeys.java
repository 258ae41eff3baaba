package io.configstore.testkit;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;

/**
 * The tests' one fixed key. Every store set opened on one location (a second instance, a reopen, a child process)
 * must use the key the location's secrets were written with, so tests that reopen use this instead of a fresh key.
 */
public final class TestKeys {
    private TestKeys() {
    }

    /** An AES-256-GCM cipher with the key id {@code test} over the suite's fixed key bytes. */
    public static SecretCipher cipher() {
        byte[] key = new byte[AesGcmSecretCipher.KEY_BYTES];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (31 * i + 7);
        }
        return AesGcmSecretCipher.of("test", key);
    }
}
