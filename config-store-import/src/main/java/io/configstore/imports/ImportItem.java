package io.configstore.imports;

import io.configstore.internal.Arguments;

/**
 * What an import did (or, in a dry run, would do) with one entry of a bundle.
 *
 * @param tenantId the entry's tenant
 * @param entity {@code provider}, {@code apiKey} or {@code document}
 * @param key the entry's natural key within its tenant: {@code type/name} for providers and keys, the name for
 *     documents
 * @param outcome imported, skipped or failed
 * @param detail for a skipped entry, whether the target's differs and how; for a failed one, why; otherwise empty
 */
public record ImportItem(String tenantId, String entity, String key, Outcome outcome, String detail) {
    public ImportItem {
        Arguments.requireNonNull("tenantId", tenantId);
        Arguments.requireNonNull("entity", entity);
        Arguments.requireNonNull("key", key);
        Arguments.requireNonNull("outcome", outcome);
        detail = detail == null ? "" : detail;
    }

    /** What happened to an entry. */
    public enum Outcome {
        /** Written to the target (in a dry run: would be). */
        IMPORTED,
        /** The target holds an entry with this natural key; left as it is. */
        SKIPPED,
        /** Could not be written; {@link ImportItem#detail()} says why. */
        FAILED
    }

    /** One line for people: {@code + provider openai/prod (tenant default)}. */
    public String describe() {
        String mark = switch (outcome) {
            case IMPORTED -> "+";
            case SKIPPED -> "=";
            case FAILED -> "!";
        };
        return mark + " " + entity + " " + key + " (tenant " + tenantId + ")" + (detail.isEmpty() ? "" : ": " + detail);
    }
}
