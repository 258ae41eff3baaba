package io.configstore.cli;

import io.configstore.error.ValidationException;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the tool talks to its user: secrets read from standard input or a prompt without echo (never from an argument,
 * which other users can see in the process list), and a progress bar drawn only on a terminal.
 */
final class Terminal {
    private static final int MAX_SECRET_BYTES = 64 * 1024;
    private final InputStream in;
    private final PrintStream err;
    private final Console console;

    Terminal(InputStream in, PrintStream err, Console console) {
        this.in = in;
        this.err = err;
        this.console = console;
    }

    /** Whether standard input and output are a terminal (the JDK's console exists only then). */
    boolean interactive() {
        return console != null;
    }

    /**
     * A secret: typed at a prompt without echo on a terminal, else all of standard input, less one final line break.
     * The caller clears the array.
     */
    char[] readSecret(String prompt) {
        if (console != null) {
            char[] typed = console.readPassword("%s: ", prompt);
            if (typed == null || typed.length == 0) {
                throw new ValidationException("no " + prompt + " was typed; type it at the prompt, or pipe it to"
                        + " standard input");
            }
            return typed;
        }
        byte[] bytes = readAll();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            throw new ValidationException("standard input was empty: pipe the " + prompt + " to the command, for"
                    + " example: printf '%s' \"$SECRET\" | configstore ...");
        }
        char[] secret = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).array();
        char[] exact = Arrays.copyOf(secret, indexOfEnd(secret));
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(secret, '\0');
        return exact;
    }

    private static int indexOfEnd(char[] decoded) {
        // CharBuffer.array() may be longer than its content: trailing NULs are padding.
        int end = decoded.length;
        while (end > 0 && decoded[end - 1] == '\0') {
            end--;
        }
        return end;
    }

    private byte[] readAll() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                if (out.size() > MAX_SECRET_BYTES) {
                    throw new ValidationException("standard input holds more than " + MAX_SECRET_BYTES + " bytes;"
                            + " pipe only the secret");
                }
            }
            Arrays.fill(buffer, (byte) 0);
            return out.toByteArray();
        } catch (IOException e) {
            throw new ValidationException("cannot read standard input (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A progress bar on standard error, drawn only on a terminal; elsewhere it prints nothing. */
    Progress progress(String label) {
        return new Progress(label);
    }

    /** Draws {@code label [#####     ] done/total} on one line, redrawn in place. */
    final class Progress {
        private static final int WIDTH = 30;
        private final String label;
        private boolean drawn;

        private Progress(String label) {
            this.label = label;
        }

        void update(long done, long total) {
            if (console == null || total <= 0) {
                return;
            }
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/"
                    + total);
            err.flush();
            drawn = true;
        }

        void finish() {
            if (drawn) {
                err.println();
            }
        }
    }
}
