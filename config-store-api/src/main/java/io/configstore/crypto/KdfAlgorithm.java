package io.configstore.crypto;

/** The password key-derivation functions a store may use. */
public enum KdfAlgorithm {
    /** Argon2id (RFC 9106) through BouncyCastle: the default. */
    ARGON2ID("argon2id"),
    /** PBKDF2 with HMAC-SHA256 through the JDK: the alternative, and the way to read stores other tools wrote. */
    PBKDF2_SHA256("pbkdf2-sha256");

    private final String phcName;

    KdfAlgorithm(String phcName) {
        this.phcName = phcName;
    }

    /** The name used in the PHC-style parameter string. */
    public String phcName() {
        return phcName;
    }
}
