package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the key ring from where operators keep master keys, and fails closed when there is none.
 *
 * <p>Sources, exactly one of which must be configured (programmatically, or else in the environment):
 * <ul>
 *   <li>{@value #ENV_KEY}: the key as base64 (standard or URL-safe, padded or not) of 32 bytes, an AES-256-GCM key;
 *       or {@code fernet:} followed by a Fernet key, to read secrets a Python service wrote with that key;</li>
 *   <li>{@value #ENV_KEY_FILE}: the path of a file holding that same text;</li>
 *   <li>{@value #ENV_PASSWORD}: a password, turned into a key by {@link KdfParameters} stored with the store
 *       (Argon2id by default). Derivation happens once, here.</li>
 * </ul>
 * The key gets the id {@value #DEFAULT_KEY_ID} unless told otherwise. There is no built-in default key or password:
 * with no source configured, {@link #load()} throws a {@link CryptoException} that names the variables to set.
 * {@linkplain Builder#developmentKeyFile Development mode}, only when asked for, generates a key into an owner-only
 * file and says so in the log (never the key).
 *
 * <pre>{@code
 * LoadedMasterKey loaded = MasterKeys.builder()
 *         .environment(System::getenv)
 *         .kdfParameters(storedPhcString == null ? null : KdfParameters.parse(storedPhcString))
 *         .build()
 *         .load();
 * }</pre>
 */
public final class MasterKeys {
    /** Variable holding a base64 master key. */
    public static final String ENV_KEY = "CONFIGSTORE_MASTER_KEY";
    /** Variable naming a file that holds a base64 master key. */
    public static final String ENV_KEY_FILE = "CONFIGSTORE_MASTER_KEY_FILE";
    /** Variable holding a master password. */
    public static final String ENV_PASSWORD = "CONFIGSTORE_MASTER_PASSWORD";
    /** The id given to the loaded key unless {@link Builder#keyId} says otherwise. */
    public static final String DEFAULT_KEY_ID = "master";
    /** The store metadata name under which {@link #loadFor} keeps a password's key-derivation parameters. */
    public static final String KDF_PARAMETERS = "kdf-parameters";
    private static final String FERNET_PREFIX = "fernet:";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

    private final Function<String, String> environment;
    private final String base64Key;
    private final Path keyFile;
    private final char[] password;
    private final String keyId;
    private final KdfParameters kdfParameters;
    private final PasswordKeyDerivation derivation;
    private final Path developmentKeyFile;
    private final Clock clock;

    private MasterKeys(Builder builder) {
        this.environment = builder.environment;
        this.base64Key = builder.base64Key;
        this.keyFile = builder.keyFile;
        this.password = builder.password == null ? null : builder.password.clone();
        this.keyId = builder.keyId;
        this.kdfParameters = builder.kdfParameters;
        this.derivation = builder.derivation;
        this.developmentKeyFile = builder.developmentKeyFile;
        this.clock = builder.clock;
    }

    /** A builder with no source and no environment: configure one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds the configured source, reads or derives the key, and returns a ring holding it as primary.
     *
     * @throws CryptoException when no source is configured (naming the variables to set), or the key file cannot be
     *     read
     * @throws ValidationException when more than one source is configured, or a key is malformed, or the KDF
     *     parameters are too weak for the chosen derivation
     */
    public LoadedMasterKey load() {
        return load(kdfParameters);
    }

    /**
     * Loads the key for a store, keeping the key-derivation parameters of a password with the store: the parameters
     * stored under {@value #KDF_PARAMETERS} are used when present; otherwise fresh ones (with a new random salt) are
     * stored, and when another process stored its own first, the key is derived again with those, so that every
     * process derives the same key.
     *
     * @throws CryptoException when no source is configured, or the stored parameters do not parse
     */
    public LoadedMasterKey loadFor(StoreMetadata metadata) {
        Arguments.requireNonNull("metadata", metadata);
        Optional<String> stored = metadata.get(KDF_PARAMETERS);
        LoadedMasterKey loaded = load(stored.map(MasterKeys::parseStored).orElse(kdfParameters));
        if (stored.isEmpty() && loaded.kdfParametersCreated()) {
            String mine = loaded.kdfParameters().orElseThrow().toPhcString();
            String winner = metadata.putIfAbsent(KDF_PARAMETERS, mine);
            if (!winner.equals(mine)) {
                loaded = load(parseStored(winner));
            }
        }
        return loaded;
    }

    private static KdfParameters parseStored(String phc) {
        try {
            return KdfParameters.parse(phc);
        } catch (ValidationException e) {
            throw new CryptoException("the key-derivation parameters stored with this store do not parse ("
                    + e.getMessage() + "); the store's metadata was altered: restore it from a backup");
        }
    }

    private LoadedMasterKey load(KdfParameters kdfParameters) {
        List<String> programmatic = configured(base64Key != null, keyFile != null, password != null);
        if (programmatic.size() > 1) {
            throw new ValidationException("configure exactly one master key source; several were given: "
                    + programmatic);
        }
        if (!programmatic.isEmpty()) {
            if (base64Key != null) {
                return fromText(base64Key, "the given master key", MasterKeySource.BASE64_KEY);
            }
            if (keyFile != null) {
                return fromFile(keyFile, "the master key file " + keyFile, MasterKeySource.KEY_FILE);
            }
            return fromPassword(password.clone(), kdfParameters);
        }
        String envKey = blankToNull(environment.apply(ENV_KEY));
        String envFile = blankToNull(environment.apply(ENV_KEY_FILE));
        String envPassword = environment.apply(ENV_PASSWORD);
        envPassword = envPassword == null || envPassword.isEmpty() ? null : envPassword;
        List<String> fromEnvironment = new ArrayList<>();
        if (envKey != null) {
            fromEnvironment.add(ENV_KEY);
        }
        if (envFile != null) {
            fromEnvironment.add(ENV_KEY_FILE);
        }
        if (envPassword != null) {
            fromEnvironment.add(ENV_PASSWORD);
        }
        if (fromEnvironment.size() > 1) {
            throw new ValidationException("set exactly one of " + ENV_KEY + ", " + ENV_KEY_FILE + " and "
                    + ENV_PASSWORD + "; several are set: " + fromEnvironment);
        }
        if (envKey != null) {
            return fromText(envKey, ENV_KEY, MasterKeySource.BASE64_KEY);
        }
        if (envFile != null) {
            // Named by its variable, never by its value: a key pasted into the wrong variable is a valid path too.
            return fromFile(environmentPath(envFile), "the master key file named by " + ENV_KEY_FILE,
                    MasterKeySource.KEY_FILE);
        }
        if (envPassword != null) {
            return fromPassword(envPassword.toCharArray(), kdfParameters);
        }
        if (developmentKeyFile != null) {
            return development(developmentKeyFile);
        }
        throw new CryptoException("no master key is configured, and configstore has no default key: set "
                + ENV_KEY + " (base64 of 32 random bytes, e.g. from 'openssl rand -base64 32'), " + ENV_KEY_FILE
                + " (a file holding such a key) or " + ENV_PASSWORD + " (a password), or configure one"
                + " programmatically; for local development only, enable the development key file");
    }

    private static Path environmentPath(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            // The value itself is not echoed: a key pasted into the wrong variable must not reach a log.
            throw new ValidationException(ENV_KEY_FILE + " is not a valid path on this system (it holds a character"
                    + " no path may hold, such as NUL); set it to the path of a file holding the master key");
        }
    }

    private static List<String> configured(boolean key, boolean file, boolean password) {
        List<String> names = new ArrayList<>();
        if (key) {
            names.add("base64Key");
        }
        if (file) {
            names.add("keyFile");
        }
        if (password) {
            names.add("password");
        }
        return names;
    }

    private LoadedMasterKey fromText(String text, String origin, MasterKeySource source) {
        try (MasterKey key = parseKey(text.strip(), origin)) {
            return new LoadedMasterKey(KeyRing.of(key, clock), source, Optional.empty(), false);
        }
    }

    private MasterKey parseKey(String text, String origin) {
        if (text.startsWith(FERNET_PREFIX)) {
            try (FernetKey fernetKey = FernetKey.parse(text.substring(FERNET_PREFIX.length()))) {
                return MasterKey.fernet(keyId, fernetKey);
            } catch (ValidationException e) {
                // Our own words, not the parser's: nothing of the rejected material reaches the message.
                throw new ValidationException(origin + " is not a valid Fernet key: after 'fernet:' it must be"
                        + " URL-safe base64 of 32 bytes (as Fernet.generate_key() makes)");
            }
        }
        byte[] decoded;
        try {
            decoded = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(origin + " is not valid base64; it must be base64 of 32 random bytes"
                    + " (e.g. from 'openssl rand -base64 32')");
        }
        try {
            if (decoded.length != MasterKey.KEY_BYTES) {
                throw new ValidationException(origin + " decodes to " + decoded.length + " bytes; a master key is "
                        + MasterKey.KEY_BYTES + " bytes (e.g. from 'openssl rand -base64 32')");
            }
            return MasterKey.aes256(keyId, decoded);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** Reads a key file; {@code named} is how messages name it ("the master key file ..."). */
    private LoadedMasterKey fromFile(Path file, String named, MasterKeySource source) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CryptoException(named + " does not exist; create it or point " + ENV_KEY_FILE
                    + " at the right file");
        } catch (IOException e) {
            throw new CryptoException("cannot read " + named + " (" + e.getClass().getSimpleName()
                    + "); check its permissions", e);
        }
        warnIfReadableByOthers(file);
        String text = new String(content, StandardCharsets.UTF_8);
        Arrays.fill(content, (byte) 0);
        return fromText(text, named, source);
    }

    private LoadedMasterKey fromPassword(char[] secret, KdfParameters kdfParameters) {
        boolean created = kdfParameters == null;
        KdfParameters parameters = created ? KdfParameters.argon2idDefaults() : kdfParameters;
        byte[] material;
        try {
            material = derivation.deriveKey(secret, parameters);
        } finally {
            Arrays.fill(secret, '\0');
        }
        try (MasterKey key = MasterKey.aes256(keyId, material)) {
            return new LoadedMasterKey(KeyRing.of(key, clock), MasterKeySource.PASSWORD, Optional.of(parameters),
                    created);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private LoadedMasterKey development(Path file) {
        if (Files.exists(file)) {
            LOG.warn("configstore is using the development master key file {}; do not use development mode in"
                    + " production", file);
            return fromFile(file, "the master key file " + file, MasterKeySource.DEVELOPMENT_KEY_FILE);
        }
        byte[] key = AesGcmSecretCipher.generateKey();
        byte[] text = Base64.getEncoder().encode(key);
        try {
            writeOwnerOnly(file, text);
            LOG.warn("configstore generated a new development master key and wrote it to {} (owner-only); keep this"
                    + " file, or every secret stored with it is lost; never use development mode in production",
                    file);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
        return fromFile(file, "the master key file " + file, MasterKeySource.DEVELOPMENT_KEY_FILE);
    }

    private static void writeOwnerOnly(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean posix = file.toAbsolutePath().getRoot() != null
                    && Files.getFileStore(parent).supportsFileAttributeView("posix");
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                    : new FileAttribute<?>[0];
            // Written whole to a temporary file, then linked into place: a link fails if the key file exists, so a
            // racing opener never overwrites another's key and never reads a half-written one.
            Path temporary = Files.createTempFile(parent, ".configstore-key-", ".tmp", attributes);
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                try {
                    Files.createLink(file, temporary);
                } catch (UnsupportedOperationException noHardLinks) {
                    Files.move(temporary, file);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (FileAlreadyExistsException e) {
            LOG.info("development master key file {} was created concurrently; using it", file);
        } catch (IOException e) {
            throw new CryptoException("cannot create the development master key file " + file + " ("
                    + e.getClass().getSimpleName() + "); check that its directory is writable", e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("the master key file {} is readable by every user; restrict it (chmod 600)", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not POSIX (or not readable as such): nothing to check.
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "MasterKeys[keyId=" + keyId + ", material=redacted]";
    }

    /** Configures a {@link MasterKeys}. Not thread-safe; {@link #build()} copies what it needs. */
    public static final class Builder {
        private Function<String, String> environment = name -> null;
        private String base64Key;
        private Path keyFile;
        private char[] password;
        private String keyId = DEFAULT_KEY_ID;
        private KdfParameters kdfParameters;
        private PasswordKeyDerivation derivation = PasswordKeyDerivation.standard();
        private Path developmentKeyFile;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Where to look up {@value MasterKeys#ENV_KEY}, {@value MasterKeys#ENV_KEY_FILE} and {@value MasterKeys#ENV_PASSWORD}, e.g.
         * {@code System::getenv}; consulted only when no source is configured programmatically. Default: nothing.
         */
        public Builder environment(Function<String, String> environment) {
            this.environment = Arguments.requireNonNull("environment", environment);
            return this;
        }

        /** The master key as base64 of 32 bytes, or {@code fernet:<Fernet key>}. */
        public Builder base64Key(String base64Key) {
            this.base64Key = Arguments.requireNonNull("base64Key", base64Key);
            return this;
        }

        /** A file holding the master key as {@link #base64Key} text. */
        public Builder keyFile(Path keyFile) {
            this.keyFile = Arguments.requireNonNull("keyFile", keyFile);
            return this;
        }

        /** A master password; copied, clear your own array. */
        public Builder password(char[] password) {
            Arguments.requireNonNull("password", password);
            this.password = password.clone();
            return this;
        }

        /** The id of the loaded key (default {@value MasterKeys#DEFAULT_KEY_ID}). */
        public Builder keyId(String keyId) {
            this.keyId = MasterKey.requireKeyId(keyId);
            return this;
        }

        /**
         * The KDF parameters stored with the store, for a password; null (the default) makes fresh Argon2id ones,
         * which the caller must then store (see {@link LoadedMasterKey#kdfParametersCreated()}).
         */
        public Builder kdfParameters(KdfParameters kdfParameters) {
            this.kdfParameters = kdfParameters;
            return this;
        }

        /** How to derive a password's key (default {@link PasswordKeyDerivation#standard()}). */
        public Builder keyDerivation(PasswordKeyDerivation derivation) {
            this.derivation = Arguments.requireNonNull("derivation", derivation);
            return this;
        }

        /**
         * Development mode: when no source is configured, use the key in {@code file}, generating it (owner-only,
         * 0600 on POSIX) if it does not exist, and log a warning that says so. Never enable in production.
         */
        public Builder developmentKeyFile(Path file) {
            this.developmentKeyFile = Arguments.requireNonNull("file", file);
            return this;
        }

        /** The clock Fernet entries stamp tokens with (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Arguments.requireNonNull("clock", clock);
            return this;
        }

        /** A loader with this configuration; nothing is read until {@link MasterKeys#load()}. */
        public MasterKeys build() {
            return new MasterKeys(this);
        }

        @Override
        public String toString() {
            return "MasterKeys.Builder[keyId=" + keyId + ", material=redacted]";
        }
    }
}
