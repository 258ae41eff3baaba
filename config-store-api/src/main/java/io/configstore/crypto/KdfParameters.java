package io.configstore.crypto;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a password becomes a key: the KDF, its cost parameters and a random salt. Stored with the store (as
 * {@link #toPhcString()}) when the store is created and read back ({@link #parse}) at every open, so the same
 * password gives the same key; nothing of it is hard-coded.
 *
 * <p>Forms: {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>} and
 * {@code $pbkdf2-sha256$i=<iterations>$<salt>}, the salt in base64 without padding (as in PHC strings). The salt is
 * not secret, but {@link #toString()} still shows only its length.
 *
 * <p>The constructor checks only that the values are sane and bounded (Argon2id at most 1 GiB and 10 passes, PBKDF2
 * at most 10,000,000 iterations, so that a tampered string cannot make every open allocate gigabytes or spend minutes);
 * whether they are strong enough is {@link #isBelowRecommendedMinimum()}, which {@link PasswordKeyDerivation#standard()}
 * enforces.
 *
 * @param algorithm the KDF
 * @param iterations Argon2 passes ({@code t}) or PBKDF2 iterations
 * @param memoryKiB Argon2 memory in KiB ({@code m}); 0 for PBKDF2
 * @param parallelism Argon2 lanes ({@code p}); 1 for PBKDF2
 * @param salt the salt; copied in and out
 */
public record KdfParameters(KdfAlgorithm algorithm, int iterations, int memoryKiB, int parallelism, byte[] salt) {
    /** OWASP's minimum Argon2id memory: 19 MiB. */
    public static final int ARGON2_MIN_MEMORY_KIB = 19 * 1024;
    /** OWASP's minimum Argon2id passes with 19 MiB. */
    public static final int ARGON2_MIN_ITERATIONS = 2;
    /** OWASP's recommended PBKDF2-HMAC-SHA256 iteration count, the default. */
    public static final int PBKDF2_DEFAULT_ITERATIONS = 600_000;
    /** Length of a generated salt in bytes. */
    public static final int SALT_BYTES = 16;
    private static final int MAX_ARGON2_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ARGON2_ITERATIONS = 10;
    private static final int MAX_PARALLELISM = 64;
    private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    private static final int MAX_SALT_BYTES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,10})\\$([A-Za-z0-9+/]+)");
    private static final Pattern PBKDF2 = Pattern.compile("\\$pbkdf2-sha256\\$i=([0-9]{1,10})\\$([A-Za-z0-9+/]+)");

    /** Checks that the values are sane and bounded; copies the salt. */
    public KdfParameters {
        Arguments.requireNonNull("algorithm", algorithm);
        Arguments.requireNonNull("salt", salt);
        List<String> problems = new ArrayList<>();
        if (salt.length < 1 || salt.length > MAX_SALT_BYTES) {
            problems.add("salt must be 1 to " + MAX_SALT_BYTES + " bytes, is " + salt.length);
        }
        if (algorithm == KdfAlgorithm.ARGON2ID) {
            if (iterations < 1 || iterations > MAX_ARGON2_ITERATIONS) {
                problems.add("Argon2id iterations (t) must be 1 to " + MAX_ARGON2_ITERATIONS + ", is " + iterations);
            }
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                problems.add("Argon2id parallelism (p) must be 1 to " + MAX_PARALLELISM + ", is " + parallelism);
            }
            if (memoryKiB < 8 * Math.max(parallelism, 1) || memoryKiB > MAX_ARGON2_MEMORY_KIB) {
                problems.add("Argon2id memory (m) must be 8 x p to " + MAX_ARGON2_MEMORY_KIB + " KiB, is "
                        + memoryKiB);
            }
        } else {
            if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
                problems.add("PBKDF2 iterations must be 1 to " + MAX_PBKDF2_ITERATIONS + ", is " + iterations);
            }
            if (memoryKiB != 0 || parallelism != 1) {
                problems.add("PBKDF2 takes no memory or parallelism parameter (use 0 and 1)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("invalid KDF parameters", problems);
        }
        salt = salt.clone();
    }

    /** Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane) with a fresh random salt: the default for new stores. */
    public static KdfParameters argon2idDefaults() {
        return argon2id(ARGON2_MIN_MEMORY_KIB, ARGON2_MIN_ITERATIONS, 1, randomSalt());
    }

    /** PBKDF2-HMAC-SHA256 at 600,000 iterations with a fresh random salt. */
    public static KdfParameters pbkdf2Defaults() {
        return pbkdf2(PBKDF2_DEFAULT_ITERATIONS, randomSalt());
    }

    /** Argon2id with the given cost and salt. */
    public static KdfParameters argon2id(int memoryKiB, int iterations, int parallelism, byte[] salt) {
        return new KdfParameters(KdfAlgorithm.ARGON2ID, iterations, memoryKiB, parallelism, salt);
    }

    /** PBKDF2-HMAC-SHA256 with the given iteration count and salt. */
    public static KdfParameters pbkdf2(int iterations, byte[] salt) {
        return new KdfParameters(KdfAlgorithm.PBKDF2_SHA256, iterations, 0, 1, salt);
    }

    /**
     * Reads parameters written by {@link #toPhcString()}.
     *
     * @throws ValidationException saying what is wrong when the text is not one of the two forms
     */
    public static KdfParameters parse(String phc) {
        Arguments.requireNonNull("KDF parameters", phc);
        Matcher argon2 = ARGON2.matcher(phc);
        Matcher pbkdf2 = PBKDF2.matcher(phc);
        try {
            if (argon2.matches()) {
                return argon2id(Integer.parseInt(argon2.group(1)), Integer.parseInt(argon2.group(2)),
                        Integer.parseInt(argon2.group(3)), Base64.getDecoder().decode(argon2.group(4)));
            }
            if (pbkdf2.matches()) {
                return pbkdf2(Integer.parseInt(pbkdf2.group(1)), Base64.getDecoder().decode(pbkdf2.group(2)));
            }
        } catch (NumberFormatException e) {
            throw new ValidationException("KDF parameters '" + phc + "' hold a number too large to be valid");
        } catch (IllegalArgumentException e) {
            throw new ValidationException("KDF parameters '" + phc + "' hold a salt that is not valid base64");
        }
        throw new ValidationException("KDF parameters '" + phc + "' are not in a known form; expected"
                + " $argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt> or $pbkdf2-sha256$i=<n>$<salt>");
    }

    /** The parameters as one string to store with the store; {@link #parse} reads it back. */
    public String toPhcString() {
        String encodedSalt = Base64.getEncoder().withoutPadding().encodeToString(salt);
        if (algorithm == KdfAlgorithm.ARGON2ID) {
            return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$" + encodedSalt;
        }
        return "$pbkdf2-sha256$i=" + iterations + "$" + encodedSalt;
    }

    /**
     * Whether these parameters are weaker than this library accepts by default: Argon2id under 19 MiB or 2 passes,
     * PBKDF2 under 600,000 iterations, or a salt under 16 bytes.
     */
    public boolean isBelowRecommendedMinimum() {
        if (salt.length < SALT_BYTES) {
            return true;
        }
        if (algorithm == KdfAlgorithm.ARGON2ID) {
            return memoryKiB < ARGON2_MIN_MEMORY_KIB || iterations < ARGON2_MIN_ITERATIONS;
        }
        return iterations < PBKDF2_DEFAULT_ITERATIONS;
    }

    /** A copy of the salt. */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KdfParameters that && algorithm == that.algorithm && iterations == that.iterations
                && memoryKiB == that.memoryKiB && parallelism == that.parallelism && Arrays.equals(salt, that.salt);
    }

    @Override
    public int hashCode() {
        return ((algorithm.hashCode() * 31 + iterations) * 31 + memoryKiB) * 31 + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "KdfParameters[" + algorithm.phcName() + ", iterations=" + iterations + ", memoryKiB=" + memoryKiB
                + ", parallelism=" + parallelism + ", salt=" + salt.length + " bytes]";
    }

    private static byte[] randomSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
