package io.configstore.service;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;

/** The tests' one fixed key: every store set opened on one location must use the key its secrets were written with. */
final class TestKeys {
    private TestKeys() {
    }

    static SecretCipher cipher() {
        byte[] key = new byte[AesGcmSecretCipher.KEY_BYTES];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (31 * i + 7);
        }
        return AesGcmSecretCipher.of("test", key);
    }
}
