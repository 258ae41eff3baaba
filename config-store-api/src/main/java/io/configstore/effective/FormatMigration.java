package io.configstore.effective;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.internal.Arguments;
import java.util.function.UnaryOperator;

/**
 * One registered step between two format versions of a document: a function over the JSON tree.
 *
 * <pre>{@code
 * new FormatMigration(1, 2, "rename host to endpoint",
 *         doc -> { doc.set("endpoint", doc.remove("host")); return doc; });
 * }</pre>
 *
 * @param from the format version it reads, at least 1
 * @param to the format version it writes, higher than {@code from}
 * @param description what it changes, in a few words; shown in upgrade reports and errors
 * @param transform receives a private copy of the document (it may change and return it); must return a JSON object
 *     and have no side effects (a conflicting save runs it again)
 */
public record FormatMigration(int from, int to, String description, UnaryOperator<ObjectNode> transform) {
    public FormatMigration {
        Arguments.requireVersion("from", from);
        Arguments.requireVersion("to", to);
        if (to <= from) {
            throw new io.configstore.error.ValidationException("format migration " + from + " -> " + to
                    + " goes down or nowhere; a migration must go from a version to a higher one");
        }
        Arguments.requireName("description", description, Arguments.MAX_REASON_LENGTH);
        Arguments.requireNonNull("transform", transform);
    }

    /** {@code 1 -> 2 (rename host to endpoint)}. */
    @Override
    public String toString() {
        return from + " -> " + to + " (" + description + ")";
    }
}
