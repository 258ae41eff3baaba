package io.configstore.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.EntityKind;
import io.configstore.model.Instants;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final List<Duration> EXTREME_AGES = List.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(), Duration.ofDays(3_000_000L * 365));

    private static HistoryEntry entry(long version, Instant at) {
        return new HistoryEntry(EntityKind.CONFIG_DOCUMENT, "default", "app", version, ChangeType.UPDATE, at, "kit",
                null, "{}");
    }

    @Test
    void an_age_longer_than_history_means_forever_and_prunes_nothing() {
        List<HistoryEntry> entries = List.of(entry(1, Instants.EARLIEST_STORABLE), entry(2, NOW.minusSeconds(60)),
                entry(3, NOW));
        for (Duration age : EXTREME_AGES) {
            RetentionPolicy policy = RetentionPolicy.maxAge(age).withIdempotencyMaxAge(age);
            assertThat(policy.prunable(entries, NOW)).as("pruned with %s", age).isEmpty();
            assertThat(policy.idempotencyCutoff(NOW)).as("cutoff with %s", age).isEqualTo(Instants.EARLIEST_STORABLE);
        }
        assertThat(RetentionPolicy.maxAge(Duration.ofSeconds(30)).prunable(entries, NOW))
                .extracting(HistoryEntry::version).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void a_query_bound_is_clamped_to_the_storable_years() {
        assertThat(ChangeHistory.storableBound(Instant.MIN)).isEqualTo(Instants.EARLIEST_STORABLE);
        assertThat(ChangeHistory.storableBound(Instant.MAX)).isEqualTo(Instants.LATEST_STORABLE);
        assertThat(ChangeHistory.storableBound(Instant.EPOCH)).isEqualTo(Instant.EPOCH);
        assertThat(Instants.LATEST_STORABLE.toEpochMilli()).isPositive();
        assertThat(Instants.EARLIEST_STORABLE.toEpochMilli()).isNegative();
    }

    @Test
    void saturating_arithmetic_stops_at_the_ends_of_time() {
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        Duration shortest = Duration.ofSeconds(Long.MIN_VALUE);
        assertThat(Instants.minusSaturating(NOW, longest)).isEqualTo(Instant.MIN);
        assertThat(Instants.minusSaturating(NOW, shortest)).isEqualTo(Instant.MAX);
        assertThat(Instants.plusSaturating(NOW, longest)).isEqualTo(Instant.MAX);
        assertThat(Instants.plusSaturating(NOW, shortest)).isEqualTo(Instant.MIN);
        assertThat(Instants.minusSaturating(NOW, Duration.ofSeconds(60))).isEqualTo(NOW.minusSeconds(60));
    }
}
