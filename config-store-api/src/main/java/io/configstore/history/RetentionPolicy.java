package io.configstore.history;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Instants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much history {@link io.configstore.store.StoreSet#pruneHistory} keeps: at most {@code keepVersions} entries per
 * entity and/or entries no older than {@code maxAge}. The latest entry of every entity is always kept, whatever the
 * policy, so that an entity's history never vanishes and its next version number stays right.
 *
 * <p>Idempotency records are pruned by age along with it: older than {@code idempotencyMaxAge}, by default
 * {@link #DEFAULT_IDEMPOTENCY_MAX_AGE} (a retry after that writes again).
 *
 * <p>Any positive duration is accepted: one that reaches back before {@link Instants#EARLIEST_STORABLE} (such as
 * {@code Duration.ofSeconds(Long.MAX_VALUE)}) means "forever" and prunes nothing by age.
 *
 * @param keepVersions entries kept per entity, newest first; 0 for no limit
 * @param maxAge entries older than this are pruned; null for no limit
 * @param idempotencyMaxAge idempotency records older than this are pruned
 */
public record RetentionPolicy(int keepVersions, Duration maxAge, Duration idempotencyMaxAge) {
    /** How long idempotency records are kept unless a policy says otherwise: 7 days. */
    public static final Duration DEFAULT_IDEMPOTENCY_MAX_AGE = Duration.ofDays(7);

    public RetentionPolicy {
        if (keepVersions < 0) {
            throw new ValidationException("keepVersions must be 0 (no limit) or more, was " + keepVersions);
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new ValidationException("maxAge must be positive or null (no limit), was " + maxAge);
        }
        Arguments.requireNonNull("idempotencyMaxAge", idempotencyMaxAge);
        if (idempotencyMaxAge.isNegative()) {
            throw new ValidationException("idempotencyMaxAge must not be negative, was " + idempotencyMaxAge);
        }
    }

    /** Keeps the newest {@code versions} entries of each entity (at least 1). */
    public static RetentionPolicy keepVersions(int versions) {
        if (versions < 1) {
            throw new ValidationException("keep at least 1 version per entity, was " + versions);
        }
        return new RetentionPolicy(versions, null, DEFAULT_IDEMPOTENCY_MAX_AGE);
    }

    /** Keeps entries younger than {@code age} (and the latest of each entity). */
    public static RetentionPolicy maxAge(Duration age) {
        Arguments.requireNonNull("age", age);
        return new RetentionPolicy(0, age, DEFAULT_IDEMPOTENCY_MAX_AGE);
    }

    /** This policy, also pruning entries older than {@code age}. */
    public RetentionPolicy andMaxAge(Duration age) {
        Arguments.requireNonNull("age", age);
        return new RetentionPolicy(keepVersions, age, idempotencyMaxAge);
    }

    /** This policy, keeping idempotency records for {@code age}. */
    public RetentionPolicy withIdempotencyMaxAge(Duration age) {
        return new RetentionPolicy(keepVersions, maxAge, age);
    }

    /**
     * The entries of {@code entries} this policy prunes at {@code now}: for backends, so that all of them prune
     * exactly the same rows.
     */
    public List<HistoryEntry> prunable(List<HistoryEntry> entries, Instant now) {
        Arguments.requireNonNull("entries", entries);
        Arguments.requireNonNull("now", now);
        Map<String, List<HistoryEntry>> byEntity = new TreeMap<>();
        for (HistoryEntry entry : entries) {
            byEntity.computeIfAbsent(entry.entity() + "\u0000" + entry.tenantId() + "\u0000" + entry.entityId(),
                    k -> new ArrayList<>()).add(entry);
        }
        Instant cutoff = maxAge == null ? null : Instants.minusSaturating(now, maxAge);
        List<HistoryEntry> pruned = new ArrayList<>();
        for (List<HistoryEntry> ofEntity : byEntity.values()) {
            ofEntity.sort(Comparator.comparingLong(HistoryEntry::version).reversed());
            for (int i = 1; i < ofEntity.size(); i++) { // index 0, the latest, is always kept
                HistoryEntry entry = ofEntity.get(i);
                boolean tooMany = keepVersions > 0 && i >= keepVersions;
                boolean tooOld = cutoff != null && entry.changedAt().isBefore(cutoff);
                if (tooMany || tooOld) {
                    pruned.add(entry);
                }
            }
        }
        return pruned;
    }

    /**
     * The instant before which idempotency records are pruned at {@code now}: never before
     * {@link Instants#EARLIEST_STORABLE}, so that a backend can bind it whatever the age.
     */
    public Instant idempotencyCutoff(Instant now) {
        Arguments.requireNonNull("now", now);
        return Instants.clampToStorable(Instants.minusSaturating(now, idempotencyMaxAge));
    }
}
