/**
 * Secrets in memory ({@link io.configstore.crypto.Secret}) and at rest ({@link io.configstore.crypto.SecretCipher}):
 * API keys are encrypted before they reach any storage, bound to their row.
 *
 * <ul>
 *   <li>{@link io.configstore.crypto.KeyRing}: the master keys (id, status, one primary), AES-256-GCM or Fernet
 *       entries, distinct errors for a wrong key, a truncated or altered value and a value copied from another row,
 *       and the per-value primitives a store uses to rotate ({@code rewrap}, {@code needsRewrap},
 *       {@code countByKeyId}).</li>
 *   <li>{@link io.configstore.crypto.MasterKeys}: builds the ring from {@code CONFIGSTORE_MASTER_KEY},
 *       {@code CONFIGSTORE_MASTER_KEY_FILE} or {@code CONFIGSTORE_MASTER_PASSWORD}, failing closed.</li>
 *   <li>{@link io.configstore.crypto.KdfParameters} and {@link io.configstore.crypto.PasswordKeyDerivation}:
 *       Argon2id (default) or PBKDF2-HMAC-SHA256, parameters stored as a PHC-style string.</li>
 *   <li>{@link io.configstore.crypto.Fernet} and {@link io.configstore.crypto.FernetKey}: the Fernet token format,
 *       compatible with Python's {@code cryptography}.</li>
 *   <li>{@link io.configstore.crypto.AesGcmSecretCipher}: a one-key ring, for the simplest setup.</li>
 *   <li>{@link io.configstore.crypto.StoreMetadata}: the small named values (key-derivation parameters, key-check
 *       values) a backend keeps for this package's code that runs when a store opens.</li>
 * </ul>
 *
 * <p>API; {@code StoreMetadata} is also what a backend implements.
 */
package io.configstore.crypto;
