package io.configstore.crypto;

/** Where {@link MasterKeys} found the master key. */
public enum MasterKeySource {
    /** A base64 key, from {@code CONFIGSTORE_MASTER_KEY} or given programmatically. */
    BASE64_KEY,
    /** A key file, named by {@code CONFIGSTORE_MASTER_KEY_FILE} or given programmatically. */
    KEY_FILE,
    /** A password, from {@code CONFIGSTORE_MASTER_PASSWORD} or given programmatically, through a KDF. */
    PASSWORD,
    /** The development key file, read or generated because development mode was asked for. */
    DEVELOPMENT_KEY_FILE
}
