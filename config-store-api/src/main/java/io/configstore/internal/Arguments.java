package io.configstore.internal;

import io.configstore.error.ValidationException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The argument rules every store applies at the door, so that all backends accept and reject exactly the same input.
 * Each check throws {@link ValidationException} naming the field and the rule; none of them ever echoes a secret.
 */
public final class Arguments {
    /** Longest accepted name (provider name, key name, document name, actor), in characters. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Longest accepted provider type, in characters. */
    public static final int MAX_TYPE_LENGTH = 64;
    /** Longest accepted change reason, in characters. */
    public static final int MAX_REASON_LENGTH = 1024;

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Arguments() {
    }

    /** Fails when {@code value} is null. */
    public static <T> T requireNonNull(String field, T value) {
        if (value == null) {
            throw new ValidationException(field + " must not be null");
        }
        return value;
    }

    /**
     * A human-chosen name: 1 to {@code maxLength} characters of valid Unicode (see {@link #requireWellFormed}), no
     * control characters, no leading or trailing white space (which would make two names look equal that are not).
     */
    public static String requireName(String field, String value, int maxLength) {
        requireNonNull(field, value);
        if (value.isBlank()) {
            throw new ValidationException(field + " must not be blank");
        }
        requireWellFormed(field, value);
        if (value.length() > maxLength) {
            throw new ValidationException(field + " is " + value.length() + " characters long; the limit is "
                    + maxLength);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ValidationException(field + " contains a control character at index " + i
                        + "; use printable characters only");
            }
        }
        if (!value.strip().equals(value)) {
            throw new ValidationException(field + " has leading or trailing white space; trim it");
        }
        return value;
    }

    /** A provider or document name: see {@link #requireName(String, String, int)} with {@link #MAX_NAME_LENGTH}. */
    public static String requireName(String field, String value) {
        return requireName(field, value, MAX_NAME_LENGTH);
    }

    /** A provider type, such as {@code openai}: a name of at most {@link #MAX_TYPE_LENGTH} characters. */
    public static String requireProviderType(String value) {
        return requireName("providerType", value, MAX_TYPE_LENGTH);
    }

    private static final String TENANT_CHARACTERS = "._-";
    private static final String ID_CHARACTERS = "._:-";

    /** A tenant id: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit. */
    public static String requireTenantId(String value) {
        requireNonNull("tenantId", value);
        if (!TENANT.matcher(value).matches()) {
            throw new ValidationException("tenantId is not valid (" + whereInvalid(value, TENANT_CHARACTERS)
                    + "); use 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
        return value;
    }

    /** An entity id: 1 to 64 of {@code A-Z a-z 0-9 . _ : -}, starting with a letter or digit. */
    public static String requireId(String field, String value) {
        requireNonNull(field, value);
        if (!ID.matcher(value).matches()) {
            throw new ValidationException(field + " is not a valid id (" + whereInvalid(value, ID_CHARACTERS)
                    + "); ids are 1 to 64 of A-Z a-z 0-9 . _ : - starting with a letter or digit");
        }
        return value;
    }

    /**
     * A duration option within {@code [min, max]}, as builders validate their timeouts and intervals.
     *
     * @throws ValidationException naming the option, the allowed range and the value given
     */
    public static Duration requireBetween(String field, Duration value, Duration min,
                                                    Duration max) {
        requireNonNull(field, value);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ValidationException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** A version number the caller read: at least 1. */
    public static long requireVersion(String field, long value) {
        if (value < 1) {
            throw new ValidationException(field + " must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Optional free text (a change reason): null is allowed; otherwise at most {@code maxLength}, no NUL, valid
     * Unicode.
     */
    public static String optionalText(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new ValidationException(field + " is " + value.length() + " characters long; the limit is "
                    + maxLength);
        }
        if (value.indexOf('\0') >= 0) {
            throw new ValidationException(field + " contains a NUL character");
        }
        return requireWellFormed(field, value);
    }

    /**
     * Text that is valid Unicode: no unpaired UTF-16 surrogate. A Java string may hold one, but it has no UTF-8 form:
     * SQLite and PostgreSQL would store it as {@code ?} (so two different names would address one row) while the
     * memory and file backends kept it, so every backend refuses it at the door. The message gives the index, never
     * the text, which may be a secret.
     *
     * @return {@code value}
     * @throws ValidationException naming the field and the index of the first unpaired surrogate
     */
    public static String requireWellFormed(String field, String value) {
        requireNonNull(field, value);
        int bad = firstUnpairedSurrogate(value);
        if (bad >= 0) {
            throw new ValidationException(field + " is not valid Unicode: it has an unpaired UTF-16 surrogate at"
                    + " index " + bad + "; send well-formed text (a surrogate only as half of a pair)");
        }
        return value;
    }

    /** The index of the first unpaired UTF-16 surrogate in {@code text}, or -1 when it is well formed. */
    public static int firstUnpairedSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where a rejected id breaks its pattern, by length and position only: the value itself is never quoted, since
     * text typed in the wrong place may be a secret.
     */
    private static String whereInvalid(String value, String allowed) {
        if (value.isEmpty() || value.length() > 64) {
            return "it is " + value.length() + " characters long";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || (i > 0 && allowed.indexOf(c) >= 0);
            if (!ok) {
                return "character " + (i + 1) + " of " + value.length() + " is not allowed there";
            }
        }
        return value.length() + " characters";
    }
}
