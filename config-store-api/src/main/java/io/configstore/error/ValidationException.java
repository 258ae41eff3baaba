package io.configstore.error;

import java.util.List;

/**
 * An argument was not acceptable (null, blank, too long, a control character, JSON that is not an object, ...).
 * Thrown before anything is written. {@link #problems()} lists every problem found, each naming its field or path.
 */
public class ValidationException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ValidationException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ValidationException(String message, List<String> problems) {
        super(message + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public ValidationException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** Every problem found, one sentence each. Never empty. */
    public List<String> problems() {
        return problems;
    }
}
