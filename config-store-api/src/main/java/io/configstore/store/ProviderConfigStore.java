package io.configstore.store;

import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import java.util.List;
import java.util.Optional;

/**
 * Named provider configurations of one tenant, grouped by provider type, with one default per type.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>One default per type.</b> While a (tenant, provider type) has providers, exactly one of them is its default:
 *       the first one created becomes the default, creating one {@link NewProviderConfig#asDefault() as default} or
 *       calling {@link #setDefault} moves the default atomically, and deleting the default hands it to the provider
 *       {@link #resolve} would pick among those left (the best enabled one, or the best disabled one when none is
 *       enabled). Backends enforce "at most one" with a storage constraint as well.</li>
 *   <li><b>Optimistic versions.</b> Every change bumps the row's version by one; {@link #update} fails with
 *       {@link io.configstore.error.VersionConflictException} when the stored version is not the one the caller
 *       read. Moving the default bumps both rows it touches.</li>
 *   <li><b>Atomic.</b> Each method is one transaction: it happens completely or not at all, and other threads and
 *       processes see either the state before or the state after. Inside a {@link UnitOfWork} it joins that unit.</li>
 *   <li><b>Ordering.</b> Lists are ordered by provider type, then priority (lowest first), then name.</li>
 * </ul>
 *
 * <p>Arguments are validated before anything is touched: a bad one gives
 * {@link io.configstore.error.ValidationException} and changes nothing. An id that is well formed but unknown gives
 * {@link io.configstore.error.NotFoundException} for methods that change a row.
 */
public interface ProviderConfigStore {
    /** The tenant this store reads and writes. */
    String tenantId();

    /**
     * Creates a provider configuration.
     *
     * @return the stored configuration, version 1
     * @throws io.configstore.error.DuplicateException when the type already has a provider of that name
     */
    ProviderConfig create(NewProviderConfig config, ChangeContext change);

    /** The configuration with this id, or empty. */
    Optional<ProviderConfig> get(String id);

    /** Every configuration of the tenant. */
    List<ProviderConfig> list();

    /** The configurations of one provider type, best priority first. */
    List<ProviderConfig> listByType(String providerType);

    /** The configurations with this name, one per provider type at most. */
    List<ProviderConfig> listByName(String name);

    /**
     * Writes an edited copy of a configuration read earlier: its name, settings, enabled flag and priority.
     * {@code edited.version()} is the version the caller read. The id, tenant, type and default flag cannot be changed
     * here (use {@link #setDefault} for the default).
     *
     * @return the stored configuration with its version bumped
     * @throws io.configstore.error.VersionConflictException when the stored version is not {@code edited.version()}
     * @throws io.configstore.error.DuplicateException when the new name is taken within the type
     * @throws io.configstore.error.ValidationException when the edit changes the type or default flag, or another
     *     tenant's row is passed
     */
    ProviderConfig update(ProviderConfig edited, ChangeContext change);

    /**
     * Deletes a configuration. When it was the default, the default passes on as the class documentation says.
     *
     * @throws io.configstore.error.NotFoundException when there is no configuration with this id
     */
    void delete(String id, ChangeContext change);

    /**
     * Makes this configuration the default of its type, atomically taking the flag from the previous default.
     * Calling it on the current default changes nothing.
     *
     * @return the configuration as stored now
     * @throws io.configstore.error.NotFoundException when there is no configuration with this id
     */
    ProviderConfig setDefault(String id, ChangeContext change);

    /** The default configuration of a provider type, enabled or not, or empty when the type has none. */
    Optional<ProviderConfig> getDefault(String providerType);

    /**
     * The configuration to use for a provider type: the default if it is enabled, otherwise the enabled one with the
     * lowest priority number (ties broken by name, then id), or empty when none is enabled.
     */
    Optional<ProviderConfig> resolve(String providerType);
}
