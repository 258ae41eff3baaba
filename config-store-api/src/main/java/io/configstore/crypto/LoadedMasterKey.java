package io.configstore.crypto;

import io.configstore.internal.Arguments;
import java.util.Optional;

/**
 * What {@link MasterKeys#load()} built.
 *
 * @param keyRing a ring holding the master key as its primary
 * @param source where the key came from
 * @param kdfParameters for a password, the parameters it was derived with; empty otherwise
 * @param kdfParametersCreated true when no parameters were given and fresh ones (with a new random salt) were made:
 *     the store must save {@link KdfParameters#toPhcString()} now, or the key is lost with this process
 */
public record LoadedMasterKey(KeyRing keyRing, MasterKeySource source, Optional<KdfParameters> kdfParameters,
                              boolean kdfParametersCreated) {
    /** Rejects null fields. */
    public LoadedMasterKey {
        Arguments.requireNonNull("keyRing", keyRing);
        Arguments.requireNonNull("source", source);
        Arguments.requireNonNull("kdfParameters", kdfParameters);
    }
}
