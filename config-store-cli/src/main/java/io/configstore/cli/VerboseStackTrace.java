package io.configstore.cli;

import io.configstore.error.ConfigStoreException;
import java.io.PrintStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The stack trace {@code --verbose} prints: every exception of the chain with its type and frames, and the message of
 * configstore's own exceptions only. Another library's message (a JSON parser's, a driver's) may quote the input it
 * failed on, which may be a secret; its type and frames are what a bug report needs.
 */
final class VerboseStackTrace {
    private VerboseStackTrace() {
    }

    static void print(Throwable failure, PrintStream err) {
        print(failure, err, "", Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void print(Throwable failure, PrintStream err, String caption, Set<Throwable> printed) {
        if (!printed.add(failure)) {
            err.println(caption + "[already printed: " + failure.getClass().getName() + "]");
            return;
        }
        boolean ours = failure instanceof ConfigStoreException || failure instanceof CliNotFoundException;
        err.println(caption + failure.getClass().getName()
                + (ours && failure.getMessage() != null ? ": " + failure.getMessage() : " (message not shown)"));
        for (StackTraceElement frame : failure.getStackTrace()) {
            err.println("\tat " + frame);
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            print(suppressed, err, "Suppressed: ", printed);
        }
        if (failure.getCause() != null) {
            print(failure.getCause(), err, "Caused by: ", printed);
        }
    }
}
