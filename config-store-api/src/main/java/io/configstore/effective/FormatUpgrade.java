package io.configstore.effective;

import io.configstore.model.ConfigDocument;
import java.util.List;

/**
 * What loading a document through {@link FormatMigrations} did: the document as stored afterwards and the
 * migrations applied to it (none when it was already current).
 *
 * <pre>{@code
 * FormatUpgrade result = migrations.loadUpgraded(stores.documents(), "app", change).orElseThrow();
 * if (result.upgraded()) {
 *     log.info("document app upgraded from format {} by {}", result.fromVersion(), result.applied());
 * }
 * }</pre>
 *
 * @param document the stored document, at the current format version
 * @param fromVersion the format version it had when read
 * @param applied the migrations applied, in order; empty when the document was already current
 */
public record FormatUpgrade(ConfigDocument document, int fromVersion, List<FormatMigration> applied) {
    public FormatUpgrade {
        applied = List.copyOf(applied);
    }

    /** Whether migrations ran and the upgraded document was saved. */
    public boolean upgraded() {
        return !applied.isEmpty();
    }
}
