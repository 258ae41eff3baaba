/**
 * Secrets in memory ({@link io.configstore.crypto.Secret}) and at rest ({@link io.configstore.crypto.SecretCipher}):
 * API keys are encrypted before they reach any storage, bound to their row.
 */
package io.configstore.crypto;
