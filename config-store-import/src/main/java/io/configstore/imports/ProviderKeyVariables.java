package io.configstore.imports;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which environment variable holds which provider type's API key. Immutable; {@link #with} returns an extended copy.
 *
 * <table>
 *   <caption>The conventional variables ({@link #defaults()})</caption>
 *   <tr><th>variable</th><th>provider type</th></tr>
 *   <tr><td>{@code OPENAI_API_KEY}</td><td>{@code openai}</td></tr>
 *   <tr><td>{@code ANTHROPIC_API_KEY}</td><td>{@code anthropic}</td></tr>
 *   <tr><td>{@code GEMINI_API_KEY}</td><td>{@code gemini}</td></tr>
 *   <tr><td>{@code MISTRAL_API_KEY}</td><td>{@code mistral}</td></tr>
 *   <tr><td>{@code COHERE_API_KEY}</td><td>{@code cohere}</td></tr>
 *   <tr><td>{@code GROQ_API_KEY}</td><td>{@code groq}</td></tr>
 *   <tr><td>{@code DEEPSEEK_API_KEY}</td><td>{@code deepseek}</td></tr>
 *   <tr><td>{@code OPENROUTER_API_KEY}</td><td>{@code openrouter}</td></tr>
 *   <tr><td>{@code TOGETHER_API_KEY}</td><td>{@code together}</td></tr>
 *   <tr><td>{@code XAI_API_KEY}</td><td>{@code xai}</td></tr>
 *   <tr><td>{@code AZURE_OPENAI_API_KEY}</td><td>{@code azure-openai}</td></tr>
 * </table>
 */
public final class ProviderKeyVariables {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final ProviderKeyVariables DEFAULTS = new ProviderKeyVariables(Map.ofEntries(
            Map.entry("OPENAI_API_KEY", "openai"),
            Map.entry("ANTHROPIC_API_KEY", "anthropic"),
            Map.entry("GEMINI_API_KEY", "gemini"),
            Map.entry("MISTRAL_API_KEY", "mistral"),
            Map.entry("COHERE_API_KEY", "cohere"),
            Map.entry("GROQ_API_KEY", "groq"),
            Map.entry("DEEPSEEK_API_KEY", "deepseek"),
            Map.entry("OPENROUTER_API_KEY", "openrouter"),
            Map.entry("TOGETHER_API_KEY", "together"),
            Map.entry("XAI_API_KEY", "xai"),
            Map.entry("AZURE_OPENAI_API_KEY", "azure-openai")));

    private final Map<String, String> typeByVariable;

    private ProviderKeyVariables(Map<String, String> typeByVariable) {
        this.typeByVariable = Collections.unmodifiableMap(new TreeMap<>(typeByVariable));
    }

    /** The conventional variables, in the table above. */
    public static ProviderKeyVariables defaults() {
        return DEFAULTS;
    }

    /** An empty table, for a host that names its own variables only. */
    public static ProviderKeyVariables none() {
        return new ProviderKeyVariables(Map.of());
    }

    /**
     * A copy in which {@code variable} holds the key of {@code providerType} (replacing what it held before).
     *
     * @throws ValidationException when the variable name or provider type is malformed, or another variable names
     *     this provider type already (one type has one variable, so its key's origin is never ambiguous)
     */
    public ProviderKeyVariables with(String variable, String providerType) {
        Arguments.requireNonNull("variable", variable);
        if (!VARIABLE.matcher(variable).matches()) {
            throw new ValidationException("'" + variable + "' is not an environment variable name; use letters,"
                    + " digits and '_', not starting with a digit");
        }
        Arguments.requireProviderType(providerType);
        Map<String, String> copy = new TreeMap<>(typeByVariable);
        copy.remove(variable);
        copy.forEach((other, type) -> {
            if (type.equals(providerType)) {
                throw new ValidationException("provider type '" + providerType + "' is read from " + other
                        + " already; remove it first with without(\"" + other + "\")");
            }
        });
        copy.put(variable, providerType);
        return new ProviderKeyVariables(copy);
    }

    /** A copy without {@code variable}. */
    public ProviderKeyVariables without(String variable) {
        Arguments.requireNonNull("variable", variable);
        Map<String, String> copy = new TreeMap<>(typeByVariable);
        copy.remove(variable);
        return new ProviderKeyVariables(copy);
    }

    /** Variable name to provider type, sorted by variable. */
    public Map<String, String> asMap() {
        return typeByVariable;
    }

    /** The variable holding {@code providerType}'s key, or null. */
    String variableOf(String providerType) {
        for (Map.Entry<String, String> entry : typeByVariable.entrySet()) {
            if (entry.getValue().equals(providerType)) {
                return entry.getKey();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ProviderKeyVariables" + typeByVariable;
    }
}
