package io.configstore.history;

import io.configstore.change.EntityKind;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.Instants;
import java.time.Instant;
import java.util.List;

/**
 * The audit trail of one tenant: what every write did, who made it, when and why, with the entity's state after it.
 * Obtained from {@link io.configstore.store.TenantStores#history()}.
 *
 * <p>Every write of the stores (create, update, delete, enable, disable, default change, key store, rotation,
 * activation, deactivation and deletion, document save, update and delete) appends an entry in the same transaction
 * as the change: a write that rolls back (alone or with its unit of work) leaves no entry. Recording an API key's
 * use, and re-encrypting secrets under another master key, are not history. Thread-safe; inside a unit of work,
 * reads see the unit's own entries and a rollback takes part in the unit.
 */
public interface ChangeHistory {
    /** Most entries one {@link #list(Instant, Instant, int, int)} call returns. */
    int MAX_PAGE_SIZE = 1000;

    /** The tenant whose history this is. */
    String tenantId();

    /**
     * Every kept entry of one entity, oldest first (by version). Empty when it has none.
     *
     * @throws io.configstore.error.ValidationException when an argument is null or the id is malformed
     */
    List<HistoryEntry> list(EntityKind entity, String id);

    /**
     * The entries of this tenant written at or after {@code from} and before {@code to}, oldest first (by time, then
     * in the order they were written), skipping {@code offset} and returning at most {@code limit}: call again with
     * {@code offset + limit} for the next page. Any instants are accepted: {@link Instant#MIN} to
     * {@link Instant#MAX} lists everything (every entry lies within {@link Instants#EARLIEST_STORABLE} and
     * {@link Instants#LATEST_STORABLE}, to which backends clamp the bounds with {@link #storableBound}).
     *
     * @throws io.configstore.error.ValidationException when an instant is null, {@code to} is before {@code from},
     *     {@code offset} is negative, or {@code limit} is not 1 to {@link #MAX_PAGE_SIZE}
     */
    List<HistoryEntry> list(Instant from, Instant to, int offset, int limit);

    /**
     * Puts an entity back as it was at {@code toVersion} of its history, recorded as a new version of change type
     * {@link ChangeType#ROLLBACK}. A deleted entity is created again with its id. For a provider, its name,
     * settings, enabled flag and priority come back (which provider is the default is changed with setDefault, not
     * here; a re-created provider becomes the default only if its type has none). For an API key, its ciphertext
     * and active flag come back exactly as stored; the master key that wrote it must still be configured (a deleted
     * key comes back only from a kept entry before its deletion: the deletion entry keeps no ciphertext). For a
     * document, its content and format version. Atomic; with an idempotency key in {@code change}, a retry returns
     * the first result.
     *
     * @return the new entry
     * @throws io.configstore.error.NotFoundException when the entity has no entry at {@code toVersion}
     * @throws io.configstore.error.ValidationException when {@code toVersion} is the entity's deletion
     * @throws io.configstore.error.DuplicateException when re-creating it would clash with another's name
     * @throws io.configstore.error.CryptoException when the master key that encrypted the old secret is gone
     */
    HistoryEntry rollback(EntityKind entity, String id, long toVersion, ChangeContext change);

    /**
     * Checks the arguments of {@link #list(Instant, Instant, int, int)} as every backend must, so that they all refuse
     * the same input with the same message. For backend implementers.
     *
     * @throws io.configstore.error.ValidationException as {@link #list(Instant, Instant, int, int)} documents
     */
    static void requireValidPage(Instant from, Instant to, int offset, int limit) {
        // Bounds are compared as given, before any clamping, so that a reversed range is refused on every backend.
        Arguments.requireNonNull("from", from);
        Arguments.requireNonNull("to", to);
        if (to.isBefore(from)) {
            throw new ValidationException("the time range ends (" + to + ") before it starts (" + from + ")");
        }
        if (offset < 0) {
            throw new ValidationException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new ValidationException("limit must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
        }
    }

    /**
     * A bound of {@link #list(Instant, Instant, int, int)} as a backend binds it: clamped to the instants a store
     * holds, which selects the same entries (none lies outside) without overflowing a column type. For backend
     * implementers.
     */
    static Instant storableBound(Instant bound) {
        return Instants.clampToStorable(bound);
    }
}
