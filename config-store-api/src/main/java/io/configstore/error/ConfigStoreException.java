package io.configstore.error;

/**
 * Root of every exception a configstore method throws on purpose.
 *
 * <p>Catch this type to handle any store failure; catch a subclass to react to one kind. Messages say what went wrong
 * and what to do about it. They never contain a secret value, and a method that throws one of these has changed
 * nothing (a failed operation leaves no partial state).
 */
public abstract class ConfigStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ConfigStoreException(String message) {
        super(message);
    }

    protected ConfigStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
