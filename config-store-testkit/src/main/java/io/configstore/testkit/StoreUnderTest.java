package io.configstore.testkit;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The store a contract test works on: a fresh location from the backend, opened with a fresh AES-256-GCM cipher.
 * {@link StoreUnderTestExtension} makes one per test method and, after the test, closes every store set opened
 * through it and deletes the location.
 *
 * <p>Not thread-safe itself: open and reopen from the test's thread; the {@link StoreSet}s it hands out are.
 */
public final class StoreUnderTest {
    private final StoreLocation location;
    private final SecretCipher cipher;
    private final List<StoreSet> opened = new ArrayList<>();
    private StoreSet current;

    StoreUnderTest(StoreLocation location, SecretCipher cipher) throws Exception {
        this.location = location;
        this.cipher = cipher;
        this.current = track(location.open(cipher));
    }

    /** A new AES-256-GCM cipher over fresh random key material. */
    public static SecretCipher freshCipher(String keyId) {
        return AesGcmSecretCipher.of(keyId, AesGcmSecretCipher.generateKey());
    }

    /** The store set under test (the one opened last by {@link #reopen()}). */
    public StoreSet stores() {
        return current;
    }

    /** The cipher the store sets are opened with. */
    public SecretCipher cipher() {
        return cipher;
    }

    /**
     * Closes the current store set and opens the location again with the same cipher, as a restarted application
     * would.
     *
     * @return the new store set, also returned by {@link #stores()} from now on
     */
    public StoreSet reopen() throws Exception {
        current.close();
        current = track(location.open(cipher));
        return current;
    }

    /**
     * A second, independent store set on the same location and cipher, as a second instance of the application
     * would open it. Closed by the extension after the test.
     */
    public StoreSet openAnother() throws Exception {
        return openAnother(cipher);
    }

    /**
     * A second store set on the same location, opened with another cipher (to prove that secrets are really
     * encrypted with the key the store was given). Closed by the extension after the test.
     */
    public StoreSet openAnother(SecretCipher otherCipher) throws Exception {
        return track(location.open(otherCipher));
    }

    /** What the location stores of its idempotency records, read from the storage itself. */
    public String storedIdempotencyRecords() throws Exception {
        return location.storedIdempotencyRecords();
    }

    /** What the location stores of its change history, read from the storage itself. */
    public String storedHistory() throws Exception {
        return location.storedHistory();
    }

    /** See {@link StoreLocation#relabelStoredKeyIds}: the key id beside every ciphertext, edited in the storage. */
    public void relabelStoredKeyIds(String keyId) throws Exception {
        location.relabelStoredKeyIds(keyId);
    }

    private StoreSet track(StoreSet set) {
        if (set == null) {
            throw new IllegalStateException("StoreLocation.open returned null; it must return an open StoreSet");
        }
        opened.add(set);
        return set;
    }

    /** Closes every store set opened here, then deletes the location; reports the first failure. */
    void closeAll() throws Exception {
        Exception failure = null;
        for (StoreSet set : opened) {
            try {
                set.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        opened.clear();
        try {
            location.close();
        } catch (Exception e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
