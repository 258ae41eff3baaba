package io.configstore.store;

import io.configstore.model.ProviderConfig;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The default and resolve rules of {@link ProviderConfigStore}, written once so that every backend picks the same
 * provider from the same rows.
 */
public final class ProviderSelection {
    /** Best first: lowest priority number, then name, then id, so that the choice is deterministic. */
    public static final Comparator<ProviderConfig> PREFERENCE = Comparator.comparingInt(ProviderConfig::priority)
            .thenComparing(ProviderConfig::name)
            .thenComparing(ProviderConfig::id);

    /** Order of listings: provider type, then {@link #PREFERENCE}. */
    public static final Comparator<ProviderConfig> LISTING = Comparator.comparing(ProviderConfig::providerType)
            .thenComparing(PREFERENCE);

    private ProviderSelection() {
    }

    /**
     * The provider {@link ProviderConfigStore#resolve} returns among the providers of one type: the default if
     * enabled, else the best enabled one.
     */
    public static Optional<ProviderConfig> resolve(Collection<ProviderConfig> ofOneType) {
        Optional<ProviderConfig> enabledDefault = ofOneType.stream()
                .filter(p -> p.isDefault() && p.enabled())
                .findFirst();
        if (enabledDefault.isPresent()) {
            return enabledDefault;
        }
        return ofOneType.stream().filter(ProviderConfig::enabled).min(PREFERENCE);
    }

    /**
     * The provider that becomes the default when the default is deleted, among those left of its type: the best
     * enabled one, or the best disabled one when none is enabled; empty when none is left.
     */
    public static Optional<ProviderConfig> successor(Collection<ProviderConfig> remainingOfOneType) {
        Optional<ProviderConfig> enabled = remainingOfOneType.stream().filter(ProviderConfig::enabled).min(PREFERENCE);
        return enabled.isPresent() ? enabled : remainingOfOneType.stream().min(PREFERENCE);
    }
}
