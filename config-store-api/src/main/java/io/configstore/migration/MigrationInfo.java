package io.configstore.migration;

import java.time.Duration;
import java.time.Instant;

/**
 * One migration as {@link SchemaMigrator#info()} sees it.
 *
 * @param version the migration's version
 * @param description what it does
 * @param checksum the checksum of its script (the applied one's when applied)
 * @param state applied, pending, changed since applied, or unknown to this code
 * @param appliedAt when it was applied, or null when pending
 * @param duration how long it took, or null when pending
 */
public record MigrationInfo(int version, String description, String checksum, MigrationState state,
                            Instant appliedAt, Duration duration) {
}
