package io.configstore.store;

import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Creates many provider configurations in one atomic write, as {@link #create} would create them one after the
     * other in a {@link UnitOfWork}: each gets version 1 and its history entry, the first of a type that has no
     * default becomes its default, one {@link NewProviderConfig#asDefault() as default} takes the default. Either all
     * are created or, when one clashes with a stored name or an earlier one in the list, none. Backends batch the
     * statements, so an import of thousands is many times faster than a loop of {@code create}:
     * <pre>{@code
     * List<NewProviderConfig> rows = legacyRows.stream()
     *         .map(row -> NewProviderConfig.of(row.type(), row.name(), row.settings()))
     *         .toList();
     * List<ProviderConfig> created = stores.providers().createAll(rows, ChangeContext.by("import"));
     * }</pre>
     * An idempotency key is refused here: the write is all or nothing, so after a failure nothing was written and it
     * can simply be run again (see {@link #requireValidBatch}).
     *
     * @return the stored configurations, in the order given
     * @throws io.configstore.error.DuplicateException when a name is taken in its type, in the store or in the list
     */
    List<ProviderConfig> createAll(List<NewProviderConfig> configs, ChangeContext change);

    /**
     * Checks the arguments of {@link #createAll} as every backend must, so that they all refuse the same input with
     * the same message: a list without nulls and without two providers of one name in one type, and a change without
     * an idempotency key. For backend implementers.
     *
     * @return an immutable copy of {@code configs}
     * @throws io.configstore.error.ValidationException for a null list, element or change, or an idempotency key
     * @throws io.configstore.error.DuplicateException when two of them share a type and a name
     */
    static List<NewProviderConfig> requireValidBatch(List<NewProviderConfig> configs, ChangeContext change) {
        Arguments.requireNonNull("configs", configs);
        Arguments.requireNonNull("change", change);
        if (change.idempotencyKey() != null) {
            throw new ValidationException("createAll takes no idempotency key: it creates all of its providers or"
                    + " none, so after a failure run it again as it is; use a change without a key");
        }
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            NewProviderConfig config = configs.get(i);
            if (config == null) {
                throw new ValidationException("configs[" + i + "] is null; pass only providers to create");
            }
            Integer earlier = seen.putIfAbsent(List.of(config.providerType(), config.name()), i);
            if (earlier != null) {
                throw new DuplicateException("configs[" + earlier + "] and configs[" + i + "] are both named '"
                        + config.name() + "' in provider type '" + config.providerType() + "'; a type's names are"
                        + " unique: rename or drop one of them");
            }
        }
        return List.copyOf(configs);
    }

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
