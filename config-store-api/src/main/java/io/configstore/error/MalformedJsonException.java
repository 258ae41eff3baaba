package io.configstore.error;

/**
 * A JSON text from outside the library (an import file, a bundle, a store file, a column of a source database) is not
 * one well-formed JSON value within the limits. The message names the source, the line and column and the kind of
 * problem, and never repeats the text found there: a damaged file may hold secrets.
 */
public class MalformedJsonException extends ValidationException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the text. */
    public enum Problem {
        /** Nothing but whitespace. */
        EMPTY("it holds no JSON value"),
        /** A character where JSON does not allow it: an unquoted string, a missing comma or colon, a stray bracket. */
        SYNTAX("a syntax error (a string without quotes, or a comma, colon, quote or bracket missing or out of"
                + " place)"),
        /** The text ends inside a value. */
        TRUNCATED("the text ends before the JSON value is complete (it was cut short)"),
        /** One object holds the same key twice. */
        DUPLICATE_KEY("a key that appears twice in the same object"),
        /** More text follows the first complete value, as when two files were concatenated. */
        TRAILING_CONTENT("more text after the first complete JSON value"),
        /** Objects and arrays nested deeper than the limit. */
        TOO_DEEP("objects or arrays nested deeper than the limit"),
        /** A string or number longer than the limit. */
        TOO_LONG("a string or number longer than the limit"),
        /** A number whose exponent is too large for any number to hold ({@code 1e99999999999}). */
        NUMBER_OUT_OF_RANGE("a number whose exponent is out of range");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /** The problem in words, for messages. */
        public String description() {
            return description;
        }
    }

    private final Problem problem;
    private final int line;
    private final int column;

    /**
     * @param message the whole message, naming the source and position (see {@link io.configstore.model.Json})
     * @param line 1-based, or -1 when unknown
     * @param column 1-based, or -1 when unknown
     */
    public MalformedJsonException(String message, Problem problem, int line, int column) {
        super(message);
        this.problem = problem;
        this.line = line;
        this.column = column;
    }

    /** What is wrong. */
    public Problem problem() {
        return problem;
    }

    /** The 1-based line where the reader stopped, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column where the reader stopped, or -1 when unknown. */
    public int column() {
        return column;
    }
}
