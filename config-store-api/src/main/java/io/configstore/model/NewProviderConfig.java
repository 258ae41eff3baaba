package io.configstore.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.internal.Arguments;

/**
 * What a caller supplies to create a provider configuration. Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * NewProviderConfig openai = NewProviderConfig.of("openai", "production", settings)
 *         .asDefault()
 *         .withPriority(10);
 * }</pre>
 *
 * @param providerType the kind of provider, such as {@code openai}; at most 64 characters
 * @param name the name, unique within (tenant, provider type); at most 128 characters
 * @param settings the provider's settings, a JSON object (see {@link Json} for its limits)
 * @param makeDefault whether this becomes the default of its type (the first of a type always does)
 * @param enabled whether {@code resolve} may pick it
 * @param priority order among enabled providers of a type: the lowest number is preferred
 */
public record NewProviderConfig(String providerType, String name, ObjectNode settings, boolean makeDefault,
                                boolean enabled, int priority) {
    /** The priority given when the caller names none. Lower numbers are preferred. */
    public static final int DEFAULT_PRIORITY = 100;

    public NewProviderConfig {
        Arguments.requireProviderType(providerType);
        Arguments.requireName("name", name);
        settings = Json.requireObject("settings", settings);
    }

    /** An enabled, non-default provider with {@link #DEFAULT_PRIORITY}. */
    public static NewProviderConfig of(String providerType, String name, ObjectNode settings) {
        return new NewProviderConfig(providerType, name, settings, false, true, DEFAULT_PRIORITY);
    }

    /** Returns a copy of the settings: the record's own stays unchanged. */
    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /** A copy that becomes the default of its type when created. */
    public NewProviderConfig asDefault() {
        return new NewProviderConfig(providerType, name, settings, true, enabled, priority);
    }

    /** A copy with another priority. */
    public NewProviderConfig withPriority(int newPriority) {
        return new NewProviderConfig(providerType, name, settings, makeDefault, enabled, newPriority);
    }

    /** A copy with {@code enabled} set as given. */
    public NewProviderConfig withEnabled(boolean newEnabled) {
        return new NewProviderConfig(providerType, name, settings, makeDefault, newEnabled, priority);
    }

    /** Names the provider without printing setting values, which may hold secrets. */
    @Override
    public String toString() {
        return "NewProviderConfig[providerType=" + providerType + ", name=" + name + ", settings="
                + Json.describeKeys(settings) + ", makeDefault=" + makeDefault + ", enabled=" + enabled
                + ", priority=" + priority + "]";
    }
}
