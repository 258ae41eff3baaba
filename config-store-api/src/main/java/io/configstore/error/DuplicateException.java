package io.configstore.error;

/** A create would break a uniqueness rule (for example two providers of one type with the same name). */
public class DuplicateException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    public DuplicateException(String message) {
        super(message);
    }

    public DuplicateException(String message, Throwable cause) {
        super(message, cause);
    }
}
