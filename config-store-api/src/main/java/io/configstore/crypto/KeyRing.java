package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys of a store: each has an id and a {@link KeyStatus}, exactly one is primary. New secrets are
 * encrypted under the primary; a stored value names the key that wrote it ({@code v1:<keyId>:<payload>}), so
 * decryption goes straight to that key.
 *
 * <h2>Stored form</h2>
 * {@code v1:<keyId>:<base64url payload, no padding>}. The payload starts with a one-byte algorithm marker and an
 * 8-byte key-check value (a keyed hash of the key material, see {@link KeyInfo#keyCheckValue()}).
 * <ul>
 *   <li>AES-256-GCM: {@code 0x01 || kcv(8) || length(2) || nonce(12) || ciphertext+tag(length) || mac(16)}. The
 *       ciphertext is authenticated by GCM with the row's {@link SecretBinding#associatedData()} as AAD; {@code mac}
 *       is HMAC-SHA256, truncated to 16 bytes, over everything before it and <em>not</em> over the row.</li>
 *   <li>Fernet: {@code 0x02 || kcv(8) || rowTag(16) || fernetToken}, where {@code rowTag} is HMAC-SHA256 over the
 *       row and the raw token, and the token is a standard Fernet token (its own HMAC covers its content).</li>
 * </ul>
 * The encryption, integrity, row-binding and key-check keys are derived from the master key once, when it is added
 * (HKDF-Expand with distinct labels), never per operation.
 *
 * <h2>Which failure is which</h2>
 * Because each check covers something the next one does not, every failed decryption names one cause, checked in
 * this order, and none ever returns plaintext:
 * <ol>
 *   <li><b>unknown or disabled key</b>: the id in the value is not in the ring, or is disabled;</li>
 *   <li><b>truncated</b>: the value is shorter than its own length field says (or than any valid value);</li>
 *   <li><b>wrong key</b>: the key-check value in the value differs from this key's: the ring holds other material
 *       under the same id;</li>
 *   <li><b>altered</b>: the key is right but the row-free integrity check fails: bytes were changed;</li>
 *   <li><b>another row</b>: the content is intact and the key right, but the row binding fails: the value was copied
 *       or moved from another row.</li>
 * </ol>
 * An attacker who can write the database could also alter the key-check bytes; that is then reported as a wrong key,
 * still an error and never plaintext. Every message names the key id and {@link SecretBinding#describe()}, never the
 * secret or key material.
 *
 * <h2>Rotation</h2>
 * {@link #addKey}, {@link #makePrimary}, then re-encrypt stored values with {@link #rewrap} (the store runs it over
 * its rows), then {@link #disable} the old key, check with {@link #countByKeyId} that nothing needs it, and
 * {@link #remove} it.
 *
 * <p>Thread-safe: reads work on an immutable snapshot; changes to the ring are serialized and take effect for
 * operations that start after them.
 */
public final class KeyRing implements SecretCipher {
    private static final String FORMAT = "v1";
    private static final int KCV_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int GCM_HEADER = 1 + KCV_BYTES + 2 + NONCE_BYTES;
    private static final int GCM_MIN = GCM_HEADER + 1 + TAG_BYTES + MAC_BYTES;
    private static final int FERNET_HEADER = 1 + KCV_BYTES + MAC_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Object writeLock = new Object();
    private volatile State state;

    private KeyRing(Clock clock, State state) {
        this.clock = clock;
        this.state = state;
    }

    /**
     * A ring holding {@code primary} as its only, primary key. Fernet entries stamp tokens with the system clock.
     * The ring keeps its own copy of the material; destroy {@code primary} afterwards.
     */
    public static KeyRing of(MasterKey primary) {
        return of(primary, Clock.systemUTC());
    }

    /** A ring holding {@code primary}, whose Fernet entries stamp tokens with {@code clock}. */
    public static KeyRing of(MasterKey primary, Clock clock) {
        Arguments.requireNonNull("primary", primary);
        Arguments.requireNonNull("clock", clock);
        Entry entry = Entry.of(primary, clock, KeyStatus.ENABLED);
        return new KeyRing(clock, new State(Map.of(entry.keyId, entry), entry.keyId));
    }

    // ---------------------------------------------------------------- managing keys

    /**
     * Adds an enabled key that is not primary: it decrypts what it wrote, and becomes the target of new encryptions
     * only after {@link #makePrimary}.
     *
     * @throws ValidationException when the ring already has a key with that id (replacing the material under an id
     *     would make every value it wrote unreadable)
     */
    public void addKey(MasterKey key) {
        Arguments.requireNonNull("key", key);
        synchronized (writeLock) {
            State current = state;
            if (current.entries.containsKey(key.keyId())) {
                throw new ValidationException("the key ring already has a key '" + key.keyId() + "'; give the new key"
                        + " another id (an id names one key material forever)");
            }
            Map<String, Entry> entries = new LinkedHashMap<>(current.entries);
            entries.put(key.keyId(), Entry.of(key, clock, KeyStatus.ENABLED));
            state = new State(entries, current.primaryId);
        }
    }

    /**
     * Makes an enabled key the primary: new secrets are encrypted under it from now on.
     *
     * @throws ValidationException when the ring has no such key, or it is disabled
     */
    public void makePrimary(String keyId) {
        synchronized (writeLock) {
            Entry entry = existing(keyId);
            if (entry.status != KeyStatus.ENABLED) {
                throw new ValidationException("key '" + keyId + "' is disabled; enable it before making it primary");
            }
            state = new State(state.entries, keyId);
        }
    }

    /**
     * Disables a key: it no longer decrypts. Use it after a rewrap to prove nothing still needs the key before
     * {@link #remove removing} it. Disabling a disabled key changes nothing.
     *
     * @throws ValidationException when the ring has no such key, or it is the primary
     */
    public void disable(String keyId) {
        synchronized (writeLock) {
            Entry entry = existing(keyId);
            if (keyId.equals(state.primaryId)) {
                throw new ValidationException("key '" + keyId + "' is the primary key; make another key primary"
                        + " before disabling it");
            }
            replace(entry.withStatus(KeyStatus.DISABLED));
        }
    }

    /**
     * Enables a disabled key again. Enabling an enabled key changes nothing.
     *
     * @throws ValidationException when the ring has no such key
     */
    public void enable(String keyId) {
        synchronized (writeLock) {
            replace(existing(keyId).withStatus(KeyStatus.ENABLED));
        }
    }

    /**
     * Removes a disabled key and clears the copy of its material that the ring holds. The ring does not know what is
     * stored: the store must first check with {@link #countByKeyId} that no stored value still names the key, and
     * refuse with that count otherwise.
     *
     * @throws ValidationException when the ring has no such key, or it is still enabled (disable it first)
     */
    @Override
    public void removeKey(String keyId) {
        remove(keyId);
    }

    /** Same as {@link #removeKey}: removes a disabled key; prefer the store's removal, which checks stored data. */
    public void remove(String keyId) {
        synchronized (writeLock) {
            Entry entry = existing(keyId);
            if (entry.status != KeyStatus.DISABLED) {
                throw new ValidationException("key '" + keyId + "' is enabled; disable it, and check that no stored"
                        + " value still needs it, before removing it");
            }
            Map<String, Entry> entries = new LinkedHashMap<>(state.entries);
            entries.remove(keyId);
            state = new State(entries, state.primaryId);
            entry.clear();
        }
    }

    /** The id of the primary key, under which {@link #encrypt} writes. */
    @Override
    public String primaryKeyId() {
        return state.primaryId;
    }

    /** Every key, in the order added, without material. */
    public List<KeyInfo> keys() {
        State current = state;
        List<KeyInfo> keys = new ArrayList<>();
        for (Entry entry : current.entries.values()) {
            keys.add(entry.info(entry.keyId.equals(current.primaryId)));
        }
        return Collections.unmodifiableList(keys);
    }

    /** {@inheritDoc} Compares the key-check bytes every stored value carries with this ring's key of that id. */
    @Override
    public boolean matchesKeyOf(String stored) {
        String keyId;
        try {
            keyId = keyIdOf(stored);
        } catch (CryptoException malformed) {
            return true;
        }
        Entry entry = state.entries.get(keyId);
        if (entry == null) {
            return true;
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(stored.substring(FORMAT.length() + keyId.length() + 2));
        } catch (IllegalArgumentException malformed) {
            return true;
        }
        // A value too short to hold the bytes cannot tell; decrypting it reports what is wrong with it.
        return payload.length < 1 + KCV_BYTES
                || MessageDigest.isEqual(Arrays.copyOfRange(payload, 1, 1 + KCV_BYTES), entry.kcv);
    }

    /** {@inheritDoc} Disabled keys are left out: they decrypt nothing. */
    @Override
    public Map<String, String> keyCheckValues() {
        Map<String, String> values = new TreeMap<>();
        for (KeyInfo key : keys()) {
            if (key.status() == KeyStatus.ENABLED) {
                values.put(key.keyId(), key.keyCheckValue());
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * The key-check value of a key (16 hex digits): store it with the store when the key is first used, and compare
     * it at every open with {@link #verifyKeyCheckValue}.
     *
     * @throws ValidationException when the ring has no such key
     */
    public String keyCheckValue(String keyId) {
        return existing(keyId).info(false).keyCheckValue();
    }

    /**
     * Fails when the ring's key {@code keyId} is not the material whose key-check value was recorded: an operator
     * configured the wrong key or password. Compared in constant time.
     *
     * @throws CryptoException naming the key when the values differ
     * @throws ValidationException when the ring has no such key or {@code expected} is not 16 hex digits
     */
    public void verifyKeyCheckValue(String keyId, String expected) {
        Arguments.requireNonNull("expected", expected);
        Entry entry = existing(keyId);
        byte[] recorded;
        try {
            recorded = HexFormat.of().parseHex(expected);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("a key-check value is 16 hex digits; the recorded one is malformed");
        }
        if (recorded.length != KCV_BYTES || !MessageDigest.isEqual(recorded, entry.kcv)) {
            throw new CryptoException("key '" + keyId + "' is the wrong key: its key-check value does not match the"
                    + " one recorded when this store was written; configure the key (or password) the store was"
                    + " written with");
        }
    }

    // ---------------------------------------------------------------- SecretCipher

    /** Encrypts under the primary key, bound to {@code binding}. */
    @Override
    public String encrypt(Secret plaintext, SecretBinding binding) {
        Arguments.requireNonNull("plaintext", plaintext);
        Arguments.requireNonNull("binding", binding);
        Entry primary = state.primary();
        byte[] clear = plaintext.revealBytes();
        try {
            return FORMAT + ":" + primary.keyId + ":" + encode(primary.seal(clear, binding));
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * Decrypts with the key the value names; see the class documentation for the failure each message reports.
     *
     * @throws CryptoException for every failure, naming the key id and the row
     */
    @Override
    public Secret decrypt(String stored, SecretBinding binding) {
        Arguments.requireNonNull("binding", binding);
        String keyId = keyIdOf(stored);
        State current = state;
        Entry entry = current.entries.get(keyId);
        if (entry == null) {
            throw new CryptoException("cannot decrypt " + binding.describe() + ": it was written with key '" + keyId
                    + "', which this key ring does not hold (it holds " + current.entries.keySet()
                    + "); configure that key");
        }
        if (entry.status != KeyStatus.ENABLED) {
            throw new CryptoException("cannot decrypt " + binding.describe() + ": key '" + keyId + "' is disabled;"
                    + " enable it, or rewrap this value under the primary key before disabling it");
        }
        byte[] payload = decode(stored.substring(FORMAT.length() + keyId.length() + 2), keyId, binding);
        byte[] clear = entry.open(payload, binding);
        try {
            return Secret.ofUtf8(clear);
        } catch (ValidationException e) {
            throw new CryptoException("cannot decrypt " + binding.describe() + " with key '" + keyId + "': the"
                    + " decrypted value is not an acceptable secret (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** The key id named by a stored value. */
    @Override
    public String keyIdOf(String stored) {
        if (stored == null) {
            throw new CryptoException("a stored secret is missing (null)");
        }
        int first = stored.indexOf(':');
        int second = first < 0 ? -1 : stored.indexOf(':', first + 1);
        if (first < 0 || second < 0 || !stored.substring(0, first).equals(FORMAT)) {
            throw new CryptoException("a stored secret is not in the 'v1:<keyId>:<payload>' form; the stored value was"
                    + " altered or written by something other than configstore");
        }
        String keyId = stored.substring(first + 1, second);
        try {
            return MasterKey.requireKeyId(keyId);
        } catch (ValidationException e) {
            throw new CryptoException("a stored secret names a malformed key id; the stored value was altered");
        }
    }

    // ---------------------------------------------------------------- for the store layer

    /**
     * Whether a stored value was written under a key other than the current primary, so that {@link #rewrap} would
     * change it. Reads only the prefix; decrypts nothing.
     *
     * @throws CryptoException when the value is not in the stored form
     */
    @Override
    public boolean needsRewrap(String stored) {
        return !keyIdOf(stored).equals(state.primaryId);
    }

    /**
     * Counts stored values by the key id they name, reading only their prefixes: what the store reports when it
     * refuses to remove a key that still decrypts stored data, and how it shows rewrap progress.
     *
     * @return key id to count, sorted by id; values not in the stored form are counted under {@code "?"}
     */
    public Map<String, Long> countByKeyId(Iterable<String> storedValues) {
        Arguments.requireNonNull("storedValues", storedValues);
        Map<String, Long> counts = new TreeMap<>();
        for (String stored : storedValues) {
            String keyId;
            try {
                keyId = keyIdOf(stored);
            } catch (CryptoException e) {
                keyId = "?";
            }
            counts.merge(keyId, 1L, Long::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * Takes over a bare Fernet token (as a Python service stored it) for a row: verifies that the Fernet key
     * {@code keyId} decrypts it (with no TTL: stored secrets do not expire), and returns it wrapped in the stored form
     * and bound to {@code binding}. The token itself is kept unchanged inside the wrapper.
     *
     * @throws ValidationException when the ring has no such key, or it is not a Fernet key, or the token's plaintext
     *     is empty or larger than {@link Secret#MAX_BYTES} (a value {@link #decrypt} could never return); the
     *     message never repeats the token
     * @throws CryptoException when the token does not verify under that key
     */
    public String wrapFernetToken(String keyId, String fernetToken, SecretBinding binding) {
        Arguments.requireNonNull("binding", binding);
        Entry entry = existing(keyId);
        if (entry.algorithm != KeyAlgorithm.FERNET) {
            throw new ValidationException("key '" + keyId + "' is " + entry.algorithm + ", not a Fernet key; add the"
                    + " Fernet key the token was made with");
        }
        byte[] raw;
        byte[] clear;
        try {
            raw = Fernet.decode(fernetToken);
            clear = entry.fernet.open(raw, null);
        } catch (CryptoException e) {
            throw new CryptoException("cannot take over the Fernet token of " + binding.describe() + " with key '"
                    + keyId + "': " + e.getMessage());
        }
        try {
            // decrypt() hands the plaintext out as a Secret: a token whose plaintext no Secret can hold (empty, or
            // over Secret.MAX_BYTES) would be stored and then never revealed, so it is refused here, unstored.
            if (clear.length == 0 || clear.length > Secret.MAX_BYTES) {
                throw new ValidationException("cannot take over the Fernet token of " + binding.describe()
                        + " with key '" + keyId + "': it decrypts to " + (clear.length == 0 ? "an empty secret"
                        : "a secret of " + clear.length + " bytes, over the limit of " + Secret.MAX_BYTES)
                        + ", which could never be revealed; store this secret again with a value of 1 to "
                        + Secret.MAX_BYTES + " bytes");
            }
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
        return FORMAT + ":" + keyId + ":" + encode(entry.wrapFernet(raw, binding));
    }

    // ---------------------------------------------------------------- internals

    private Entry existing(String keyId) {
        Arguments.requireNonNull("keyId", keyId);
        Entry entry = state.entries.get(keyId);
        if (entry == null) {
            throw new ValidationException("the key ring has no key '" + keyId + "'; it holds "
                    + state.entries.keySet());
        }
        return entry;
    }

    private void replace(Entry entry) {
        Map<String, Entry> entries = new LinkedHashMap<>(state.entries);
        entries.put(entry.keyId, entry);
        state = new State(entries, state.primaryId);
    }

    private static String encode(byte[] payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    private static byte[] decode(String text, String keyId, SecretBinding binding) {
        if (text.length() % 4 == 1) {
            throw new CryptoException("cannot decrypt " + binding.describe() + " with key '" + keyId + "': the stored"
                    + " value is truncated (its text ends mid-byte); restore it from a backup or store the secret"
                    + " again");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("cannot decrypt " + binding.describe() + " with key '" + keyId + "': the stored"
                    + " value was altered (it is not valid base64url); restore it from a backup or store the secret"
                    + " again");
        }
    }

    @Override
    public String toString() {
        State current = state;
        StringBuilder out = new StringBuilder("KeyRing[primary=").append(current.primaryId).append(", keys=[");
        String separator = "";
        for (Entry entry : current.entries.values()) {
            out.append(separator).append(entry.keyId).append(' ').append(entry.algorithm).append(' ')
                    .append(entry.status);
            separator = ", ";
        }
        return out.append("], material=redacted]").toString();
    }

    /** The ring's content at one moment; replaced whole on every change. */
    private record State(Map<String, Entry> entries, String primaryId) {
        State {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        Entry primary() {
            return entries.get(primaryId);
        }

        @Override
        public String toString() {
            return "State[primary=" + primaryId + ", keys=" + entries.keySet() + "]";
        }
    }

    /** One key with the subkeys derived from it once. */
    private static final class Entry {
        final String keyId;
        final KeyAlgorithm algorithm;
        final KeyStatus status;
        final byte[] kcv;
        final SecretKeySpec encryptionKey;
        final SecretKeySpec integrityKey;
        final Fernet fernet;
        private final byte[][] ownedArrays;

        private Entry(String keyId, KeyAlgorithm algorithm, KeyStatus status, byte[] kcv, SecretKeySpec encryptionKey,
                      SecretKeySpec integrityKey, Fernet fernet, byte[][] ownedArrays) {
            this.keyId = keyId;
            this.algorithm = algorithm;
            this.status = status;
            this.kcv = kcv;
            this.encryptionKey = encryptionKey;
            this.integrityKey = integrityKey;
            this.fernet = fernet;
            this.ownedArrays = ownedArrays;
        }

        static Entry of(MasterKey key, Clock clock, KeyStatus status) {
            byte[] material = key.material();
            try {
                byte[] kcv = Arrays.copyOf(expand(material, "configstore v1 key check"), KCV_BYTES);
                byte[] integrity = expand(material, "configstore v1 integrity");
                SecretKeySpec integrityKey = new SecretKeySpec(integrity, "HmacSHA256");
                if (key.algorithm() == KeyAlgorithm.FERNET) {
                    // The Fernet token uses the key as Fernet defines it, so that tokens stay readable elsewhere.
                    try (FernetKey fernetKey = FernetKey.fromBytes(material)) {
                        return new Entry(key.keyId(), key.algorithm(), status, kcv, null, integrityKey,
                                Fernet.of(fernetKey, clock), new byte[][] {integrity});
                    }
                }
                byte[] encryption = expand(material, "configstore v1 aes-256-gcm");
                return new Entry(key.keyId(), key.algorithm(), status, kcv, new SecretKeySpec(encryption, "AES"),
                        integrityKey, null, new byte[][] {integrity, encryption});
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }

        Entry withStatus(KeyStatus newStatus) {
            return new Entry(keyId, algorithm, newStatus, kcv, encryptionKey, integrityKey, fernet, ownedArrays);
        }

        KeyInfo info(boolean primary) {
            return new KeyInfo(keyId, algorithm, status, primary, HexFormat.of().formatHex(kcv));
        }

        /** Clears the arrays the ring owns; the JDK's SecretKeySpec copies cannot be cleared. */
        void clear() {
            for (byte[] array : ownedArrays) {
                Arrays.fill(array, (byte) 0);
            }
        }

        byte[] seal(byte[] clear, SecretBinding binding) {
            if (algorithm == KeyAlgorithm.FERNET) {
                return wrapFernet(Fernet.decode(fernet.encrypt(clear)), binding);
            }
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BYTES * 8, nonce));
                cipher.updateAAD(binding.associatedData());
                byte[] sealed = cipher.doFinal(clear);
                ByteBuffer out = ByteBuffer.allocate(GCM_HEADER + sealed.length + MAC_BYTES);
                out.put(algorithm.marker()).put(kcv).putShort((short) sealed.length).put(nonce).put(sealed);
                out.put(mac(out.array(), GCM_HEADER + sealed.length, null));
                return out.array();
            } catch (GeneralSecurityException e) {
                throw new CryptoException("could not encrypt " + binding.describe() + " with key '" + keyId + "': "
                        + e.getClass().getSimpleName(), e);
            }
        }

        byte[] wrapFernet(byte[] token, SecretBinding binding) {
            ByteBuffer out = ByteBuffer.allocate(FERNET_HEADER + token.length);
            out.put(algorithm.marker()).put(kcv).put(rowTag(token, binding)).put(token);
            return out.array();
        }

        byte[] open(byte[] payload, SecretBinding binding) {
            String row = binding.describe();
            if (payload.length < 1 + KCV_BYTES) {
                throw truncated(row, payload.length, 1 + KCV_BYTES);
            }
            KeyAlgorithm written = KeyAlgorithm.ofMarker(payload[0]);
            if (written == null) {
                throw new CryptoException("cannot decrypt " + row + " with key '" + keyId + "': the stored value was"
                        + " altered (unknown algorithm marker); restore it from a backup or store the secret again");
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(payload, 1, 1 + KCV_BYTES), kcv) || written != algorithm) {
                throw new CryptoException("cannot decrypt " + row + ": key '" + keyId + "' is the wrong key (the value"
                        + " was written with other key material under that id; its key-check value differs);"
                        + " configure the key this store was written with");
            }
            return algorithm == KeyAlgorithm.FERNET ? openFernet(payload, row, binding) : openGcm(payload, row,
                    binding);
        }

        private byte[] openGcm(byte[] payload, String row, SecretBinding binding) {
            if (payload.length < GCM_HEADER) {
                throw truncated(row, payload.length, GCM_MIN);
            }
            int sealedLength = ByteBuffer.wrap(payload, 1 + KCV_BYTES, 2).getShort() & 0xffff;
            int expected = GCM_HEADER + sealedLength + MAC_BYTES;
            if (payload.length < expected || sealedLength < TAG_BYTES + 1) {
                throw truncated(row, payload.length, Math.max(expected, GCM_MIN));
            }
            if (payload.length > expected) {
                throw altered(row, "it is longer than its length field says");
            }
            byte[] mac = mac(payload, GCM_HEADER + sealedLength, null);
            if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(payload, expected - MAC_BYTES, expected))) {
                throw altered(row, "its integrity check failed");
            }
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, encryptionKey,
                        new GCMParameterSpec(TAG_BYTES * 8, payload, 1 + KCV_BYTES + 2, NONCE_BYTES));
                cipher.updateAAD(binding.associatedData());
                return cipher.doFinal(payload, GCM_HEADER, sealedLength);
            } catch (AEADBadTagException e) {
                throw otherRow(row);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("cannot decrypt " + row + " with key '" + keyId + "': "
                        + e.getClass().getSimpleName(), e);
            }
        }

        private byte[] openFernet(byte[] payload, String row, SecretBinding binding) {
            byte[] token = Arrays.copyOfRange(payload, Math.min(FERNET_HEADER, payload.length), payload.length);
            if (payload.length < FERNET_HEADER + Fernet.MIN_TOKEN_BYTES) {
                throw truncated(row, payload.length, FERNET_HEADER + Fernet.MIN_TOKEN_BYTES);
            }
            if ((token.length - Fernet.HEADER_BYTES - Fernet.HMAC_BYTES) % 16 != 0) {
                throw truncated(row, payload.length, payload.length + 16
                        - (token.length - Fernet.HEADER_BYTES - Fernet.HMAC_BYTES) % 16);
            }
            try {
                fernet.verify(token);
            } catch (CryptoException e) {
                throw altered(row, "its Fernet HMAC does not match");
            }
            byte[] tag = rowTag(token, binding);
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(payload, 1 + KCV_BYTES, FERNET_HEADER))) {
                throw otherRow(row);
            }
            try {
                return fernet.open(token, null);
            } catch (CryptoException e) {
                throw altered(row, e.getMessage());
            }
        }

        private byte[] rowTag(byte[] token, SecretBinding binding) {
            return mac(token, token.length, binding.associatedData());
        }

        /** HMAC-SHA256 under the integrity key, truncated to 16 bytes; {@code prefix} (the row) is hashed first. */
        private byte[] mac(byte[] data, int length, byte[] prefix) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(integrityKey);
                if (prefix != null) {
                    mac.update(prefix);
                }
                mac.update(data, 0, length);
                return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("HmacSHA256 is not available in this JVM", e);
            }
        }

        private CryptoException truncated(String row, int actual, int expected) {
            return new CryptoException("cannot decrypt " + row + " with key '" + keyId + "': the stored value is"
                    + " truncated (" + actual + " bytes, " + expected + " expected); restore it from a backup or store"
                    + " the secret again");
        }

        private CryptoException altered(String row, String why) {
            return new CryptoException("cannot decrypt " + row + " with key '" + keyId + "': the stored value was"
                    + " altered (" + why + "); restore it from a backup or store the secret again");
        }

        private CryptoException otherRow(String row) {
            return new CryptoException("cannot decrypt " + row + " with key '" + keyId + "': the stored value belongs"
                    + " to another row (it was copied or moved here); store the secret again for this row");
        }

        /** HKDF-Expand (RFC 5869) of one block: the master key is already uniformly random. */
        private static byte[] expand(byte[] key, String label) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(label.getBytes(StandardCharsets.US_ASCII));
                mac.update((byte) 1);
                return mac.doFinal();
            } catch (GeneralSecurityException e) {
                throw new CryptoException("HmacSHA256 is not available in this JVM", e);
            }
        }

        @Override
        public String toString() {
            return "Entry[" + keyId + ", material=redacted]";
        }
    }
}
