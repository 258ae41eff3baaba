package io.configstore.cli;

import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.IdempotencyConflictException;
import io.configstore.error.NotFoundException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;

/** The tool's exit codes: one per kind of failure, so that scripts can react to each. */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** An unexpected error: a bug; rerun with --verbose and report the stack trace. */
    INTERNAL(1),
    /** Bad usage: an unknown command or option, a malformed value, an argument the store refused as invalid. */
    USAGE(2),
    /** What the command names does not exist (a provider, key, document, file). */
    NOT_FOUND(3),
    /** A conflict: the entry exists already, it changed since it was read, or an idempotency key was reused. */
    CONFLICT(4),
    /** A master key or export password is missing or wrong, or a stored secret cannot be decrypted. */
    CRYPTO(5),
    /** The store cannot be opened, read or written, or its schema is not current. */
    STORAGE(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** The exit code for a failure. */
    public static ExitCode of(Throwable failure) {
        if (failure instanceof ValidationException) {
            return USAGE;
        }
        if (failure instanceof NotFoundException || failure instanceof CliNotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof DuplicateException || failure instanceof VersionConflictException
                || failure instanceof IdempotencyConflictException) {
            return CONFLICT;
        }
        if (failure instanceof CryptoException) {
            return CRYPTO;
        }
        if (failure instanceof StorageException) {
            return STORAGE;
        }
        return INTERNAL;
    }
}
