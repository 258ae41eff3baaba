package io.configstore.crypto;

/** Whether a key of a {@link KeyRing} may be used. */
public enum KeyStatus {
    /** Decrypts what it wrote; may be made primary. */
    ENABLED,
    /**
     * Neither encrypts nor decrypts. Disable a key after a rewrap to prove nothing still needs it, then remove it; a
     * disabled key can be enabled again until it is removed.
     */
    DISABLED
}
