package io.configstore.imports;

import io.configstore.store.StoreSet;

/**
 * Somewhere configuration comes from when a team moves to configstore: a provider key file, the environment, another
 * service's database. Every source imports through the same engine, so every import behaves alike:
 * <ul>
 *   <li>the source is read completely, and every secret decrypted, before anything is written: bad input or a wrong
 *       key is an exception naming the file or table, the position or row, and what was expected, and nothing is
 *       written;</li>
 *   <li>entries the target holds already (same tenant and natural key) are never overwritten: they are skipped and
 *       counted, or fail the whole import ({@link OnExisting});</li>
 *   <li>the writes run in one unit of work; every secret is encrypted under the target's key ring by the store, then
 *       revealed again and compared before the unit commits (the verification pass);</li>
 *   <li>a dry run plans the same import and writes nothing;</li>
 *   <li>the result is an {@link ImportReport}: imported, skipped and failed entries with reasons, warnings.</li>
 * </ul>
 */
public interface ImportSource {
    /** What this source is, for reports: {@code provider_keys.json /etc/app/provider_keys.json}. */
    String describe();

    /**
     * Imports this source into {@code target}, or plans it when {@code options} ask for a dry run.
     *
     * @throws io.configstore.error.ValidationException when the source cannot be read as expected (nothing written)
     * @throws io.configstore.error.CryptoException when a secret of the source cannot be decrypted, or the
     *     verification pass fails (nothing written)
     * @throws io.configstore.error.DuplicateException in {@link OnExisting#FAIL} mode when the target holds an entry
     *     already (nothing written)
     * @throws io.configstore.error.ValidationException also when the file or database does not exist
     * @throws io.configstore.error.StorageException when the source or target cannot be read or written
     */
    ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress);
}
