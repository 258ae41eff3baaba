package io.configstore.crypto;

import io.configstore.internal.Arguments;

/**
 * An API key's secret as it is stored: the ciphertext, the row it is bound to and the master key that sealed it.
 * What a host may keep outside the store (a last-known-good snapshot) without holding a plaintext secret; opening it
 * needs the store's cipher ({@link io.configstore.store.SecretMaintenance#open}).
 *
 * <p>{@link #toString()} never shows the ciphertext.
 *
 * @param masterKeyId the id of the master key the ciphertext was written under
 * @param binding the row the ciphertext belongs to (authenticated by the cipher)
 * @param ciphertext the stored value, as the cipher wrote it
 */
public record SealedSecret(String masterKeyId, SecretBinding binding, String ciphertext) {
    public SealedSecret {
        Arguments.requireNonNull("masterKeyId", masterKeyId);
        Arguments.requireNonNull("binding", binding);
        Arguments.requireNonNull("ciphertext", ciphertext);
        if (ciphertext.isEmpty()) {
            throw new io.configstore.error.ValidationException("the ciphertext of " + binding.describe()
                    + " is empty; a sealed secret holds the stored value");
        }
    }

    /** The row and master key, never the ciphertext. */
    @Override
    public String toString() {
        return "SealedSecret[" + binding.describe() + ", master key " + masterKeyId + ", ciphertext hidden]";
    }
}
