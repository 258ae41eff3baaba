package io.configstore.imports;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.NewProviderConfig;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a legacy store's text priorities become configstore's integer priorities (lower is preferred). Immutable;
 * {@link #with} returns an extended copy. Matching ignores case and surrounding white space; a text that is a whole
 * number is taken as that number; an empty or missing priority becomes {@link NewProviderConfig#DEFAULT_PRIORITY}.
 *
 * <table>
 *   <caption>The default table ({@link #defaults()})</caption>
 *   <tr><th>text</th><th>priority</th></tr>
 *   <tr><td>{@code critical}</td><td>10</td></tr>
 *   <tr><td>{@code high}, {@code primary}</td><td>20</td></tr>
 *   <tr><td>{@code medium}, {@code normal}, {@code secondary}</td><td>50</td></tr>
 *   <tr><td>{@code low}, {@code tertiary}</td><td>80</td></tr>
 *   <tr><td>{@code fallback}, {@code backup}</td><td>100</td></tr>
 * </table>
 * The ordinal names rank like the levels: a {@code primary} provider is preferred as a {@code high} one is, a
 * {@code backup} is used last, as a {@code fallback} is. A legacy store that meant something else by them
 * overrides them with {@link #with}.
 */
public final class PriorityTable {
    private static final PriorityTable DEFAULTS = new PriorityTable(Map.ofEntries(Map.entry("critical", 10),
            Map.entry("high", 20), Map.entry("primary", 20), Map.entry("medium", 50), Map.entry("normal", 50),
            Map.entry("secondary", 50), Map.entry("low", 80), Map.entry("tertiary", 80), Map.entry("fallback", 100),
            Map.entry("backup", 100)));

    private final Map<String, Integer> priorities;

    private PriorityTable(Map<String, Integer> priorities) {
        this.priorities = Collections.unmodifiableMap(new TreeMap<>(priorities));
    }

    /** The table above. */
    public static PriorityTable defaults() {
        return DEFAULTS;
    }

    /** A copy in which {@code text} maps to {@code priority} (replacing any previous mapping). */
    public PriorityTable with(String text, int priority) {
        Arguments.requireName("priority text", text);
        Map<String, Integer> copy = new TreeMap<>(priorities);
        copy.put(text.strip().toLowerCase(Locale.ROOT), priority);
        return new PriorityTable(copy);
    }

    /** Lower-case text to priority, sorted. */
    public Map<String, Integer> asMap() {
        return priorities;
    }

    /**
     * The priority of a text.
     *
     * @param where named in the error, such as the table and row
     * @throws ValidationException when the text is neither in the table nor a whole number
     */
    int priorityOf(String text, String where) {
        if (text == null || text.isBlank()) {
            return NewProviderConfig.DEFAULT_PRIORITY;
        }
        String key = text.strip().toLowerCase(Locale.ROOT);
        Integer mapped = priorities.get(key);
        if (mapped != null) {
            return mapped;
        }
        if (key.matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(key);
        }
        throw new ValidationException(where + ": priority '" + text + "' is not in the priority table " + priorities
                + " and is not a whole number; add it to the table (PriorityTable.with, or --priority "
                + key + "=N)");
    }

    @Override
    public String toString() {
        return "PriorityTable" + priorities;
    }
}
