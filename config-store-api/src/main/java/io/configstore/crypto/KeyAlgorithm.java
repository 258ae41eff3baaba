package io.configstore.crypto;

/**
 * How a {@link KeyRing} entry encrypts. Every stored value carries a one-byte marker of its algorithm inside its
 * payload, so a value is never read with the wrong algorithm.
 */
public enum KeyAlgorithm {
    /** AES-256-GCM with a random 96-bit nonce, the row bound as associated data. The default. */
    AES_256_GCM((byte) 0x01),
    /**
     * A Fernet token (AES-128-CBC + HMAC-SHA256, version 0x80) wrapped with a row-binding tag, so that keys written by
     * Python's {@code cryptography} Fernet can be read and their tokens taken over.
     */
    FERNET((byte) 0x02);

    private final byte marker;

    KeyAlgorithm(byte marker) {
        this.marker = marker;
    }

    byte marker() {
        return marker;
    }

    static KeyAlgorithm ofMarker(byte marker) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.marker == marker) {
                return algorithm;
            }
        }
        return null;
    }
}
