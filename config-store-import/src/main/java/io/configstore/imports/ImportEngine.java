package io.configstore.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one import engine: plan against the target, skip or fail on existing entries, write in one unit of work,
 * verify every imported secret before the unit commits, report. Every source and the bundle import go through it.
 */
final class ImportEngine {
    private ImportEngine() {
    }

    /**
     * What every source's {@code importInto} does: checks the arguments before anything is read, reads the whole
     * source with {@code reader}, imports it, and closes the batch (clearing the secrets it holds) however it ends.
     */
    static ImportReport run(StoreSet target, ImportOptions options, ImportProgress progress,
                            Supplier<ImportBatch> reader) {
        Arguments.requireNonNull("target", target);
        Arguments.requireNonNull("options", options);
        Arguments.requireNonNull("progress", progress);
        try (ImportBatch batch = reader.get()) {
            return run(target, batch, options, progress);
        }
    }

    private static ImportReport run(StoreSet target, ImportBatch batch, ImportOptions options,
                                    ImportProgress progress) {
        List<ImportEntry> entries = batch.entries();
        // Plan from a read of the target: which entries exist, and which types have no provider yet.
        // By identity: two entries of a source may be equal as values.
        Map<ImportEntry, String> existing = new IdentityHashMap<>();
        Set<String> typesWithoutProvider = new HashSet<>();
        Set<ImportEntry> defaults = defaultsOf(entries);
        for (ImportEntry entry : entries) {
            TenantStores tenant = target.forTenant(entry.tenantId());
            existing(tenant, entry, defaults.contains(entry)).ifPresent(detail -> existing.put(entry, detail));
            if (entry.entity().equals(ImportEntry.PROVIDER) && tenant.providers().getDefault(entry.type()).isEmpty()) {
                typesWithoutProvider.add(entry.tenantId() + "\u0000" + entry.type());
            }
        }
        if (options.onExisting() == OnExisting.FAIL && !existing.isEmpty()) {
            throw new DuplicateException("the target holds " + existing.size() + " of the entries of "
                    + batch.source() + " already (" + existing.keySet().stream().limit(10)
                    .map(entry -> entry.entity() + " " + entry.key() + " in tenant " + entry.tenantId())
                    .collect(Collectors.joining(", ")) + (existing.size() > 10 ? ", ..." : "")
                    + "); nothing was imported: import with skip to keep the target's entries, or import into an"
                    + " empty store");
        }
        if (options.dryRun()) {
            List<ImportItem> items = new ArrayList<>();
            for (ImportEntry entry : entries) {
                items.add(existing.containsKey(entry)
                        ? entry.item(ImportItem.Outcome.SKIPPED, existing.get(entry))
                        : entry.item(ImportItem.Outcome.IMPORTED, ""));
            }
            return new ImportReport(batch.source(), true, items, batch.warnings(), 0);
        }
        Outcome outcome = target.inUnitOfWork(tx -> {
            List<ImportItem> done = new ArrayList<>();
            for (ImportEntry entry : entries) {
                if (existing.containsKey(entry)) {
                    done.add(entry.item(ImportItem.Outcome.SKIPPED, existing.get(entry)));
                } else if (options.onExisting() == OnExisting.FAIL) {
                    write(target, entry, defaults.contains(entry), typesWithoutProvider, options);
                    done.add(entry.item(ImportItem.Outcome.IMPORTED, ""));
                } else {
                    try {
                        // A savepoint: a failing entry undoes only itself.
                        target.inUnitOfWork(inner -> {
                            write(target, entry, defaults.contains(entry), typesWithoutProvider, options);
                            return null;
                        });
                        done.add(entry.item(ImportItem.Outcome.IMPORTED, ""));
                    } catch (ConfigStoreException e) {
                        done.add(entry.item(ImportItem.Outcome.FAILED, e.getMessage()));
                    }
                }
                progress.onEntry(done.size(), entries.size());
            }
            return new Outcome(done, verify(target, entries, done));
        });
        return new ImportReport(batch.source(), false, outcome.items(), batch.warnings(), outcome.verified());
    }

    private record Outcome(List<ImportItem> items, int verified) {
    }

    /**
     * Reveals every secret this import wrote, through the target's own cipher, and compares it with the source's:
     * a difference throws, so the unit of work rolls back and nothing of the import remains.
     */
    private static int verify(StoreSet target, List<ImportEntry> entries, List<ImportItem> items) {
        int verified = 0;
        for (int i = 0; i < entries.size(); i++) {
            ImportEntry entry = entries.get(i);
            if (!entry.entity().equals(ImportEntry.API_KEY) || items.get(i).outcome() != ImportItem.Outcome.IMPORTED) {
                continue;
            }
            TenantStores tenant = target.forTenant(entry.tenantId());
            Optional<ApiKeyMetadata> stored = findKey(tenant, entry);
            boolean same;
            try {
                same = stored.isPresent() && sameSecret(tenant, stored.get(), entry.secret());
            } catch (CryptoException e) {
                same = false;
            }
            if (!same) {
                throw new CryptoException("verification failed: API key " + entry.key() + " of tenant "
                        + entry.tenantId() + " does not read back from the target as it was in the source; nothing"
                        + " was imported: check the target's master key configuration ('configstore doctor')");
            }
            verified++;
        }
        return verified;
    }

    /**
     * The provider entries that end up the default of their type when imported into a target without that type: per
     * tenant and type, the first entry (in the source's order) that asks to be the default, else the first entry,
     * which the store makes the default anyway. Written and compared alike, so that importing the same source again
     * finds the rows the first import wrote identical (a source with no default, or with two, no longer reports
     * drift in "default").
     */
    private static Set<ImportEntry> defaultsOf(List<ImportEntry> entries) {
        Map<String, ImportEntry> firstOfType = new java.util.LinkedHashMap<>();
        Map<String, ImportEntry> firstFlagged = new java.util.LinkedHashMap<>();
        for (ImportEntry entry : entries) {
            if (entry.entity().equals(ImportEntry.PROVIDER)) {
                String type = entry.tenantId() + "\u0000" + entry.type();
                firstOfType.putIfAbsent(type, entry);
                if (entry.provider().makeDefault()) {
                    firstFlagged.putIfAbsent(type, entry);
                }
            }
        }
        Set<ImportEntry> defaults = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        firstOfType.forEach((type, first) -> defaults.add(firstFlagged.getOrDefault(type, first)));
        return defaults;
    }

    private static void write(StoreSet target, ImportEntry entry, boolean isDefault, Set<String> typesWithoutProvider,
                              ImportOptions options) {
        TenantStores tenant = target.forTenant(entry.tenantId());
        switch (entry.entity()) {
            case ImportEntry.PROVIDER -> {
                NewProviderConfig wanted = entry.provider();
                NewProviderConfig config = new NewProviderConfig(wanted.providerType(), wanted.name(),
                        wanted.settings(), false, wanted.enabled(), wanted.priority());
                if (isDefault && typesWithoutProvider.contains(entry.tenantId() + "\u0000" + entry.type())) {
                    config = config.asDefault();
                }
                tenant.providers().create(config, options.change());
            }
            case ImportEntry.API_KEY -> {
                ApiKeyMetadata stored = tenant.apiKeys().store(entry.type(), entry.name(), entry.secret(),
                        options.change());
                if (!entry.active()) {
                    tenant.apiKeys().deactivate(stored.id(), options.change());
                }
            }
            default -> tenant.documents().save(entry.name(), entry.content().deepCopy(), entry.formatVersion(),
                    ConfigDocument.NO_REVISION, options.change());
        }
    }

    /** When the target holds the entry: whether it is identical, or how it differs. */
    private static Optional<String> existing(TenantStores tenant, ImportEntry entry, boolean isDefault) {
        switch (entry.entity()) {
            case ImportEntry.PROVIDER -> {
                NewProviderConfig wanted = entry.provider();
                Optional<ProviderConfig> found = tenant.providers().listByType(entry.type()).stream()
                        .filter(provider -> provider.name().equals(entry.name())).findFirst();
                return found.map(provider -> differences(
                        difference("settings", !sameJson(provider.settings(), wanted.settings())),
                        difference("enabled", provider.enabled() != wanted.enabled()),
                        difference("priority", provider.priority() != wanted.priority()),
                        difference("default", provider.isDefault() != isDefault)));
            }
            case ImportEntry.API_KEY -> {
                return findKey(tenant, entry).map(key -> differences(
                        difference("secret", !sameSecretQuietly(tenant, key, entry.secret())),
                        difference("active", key.active() != entry.active())));
            }
            default -> {
                Optional<ConfigDocument> found = tenant.documents().load(entry.name());
                return found.map(document -> differences(
                        difference("content", !sameJson(document.content(), entry.content())),
                        difference("formatVersion", document.formatVersion() != entry.formatVersion())));
            }
        }
    }

    /** Equal as stored JSON: a long and an int of the same value are the same number once written. */
    private static boolean sameJson(ObjectNode stored, ObjectNode wanted) {
        return stored.equals(wanted) || Json.parseObject("stored", Json.write(stored))
                .equals(Json.parseObject("wanted", Json.write(wanted)));
    }

    private static Optional<ApiKeyMetadata> findKey(TenantStores tenant, ImportEntry entry) {
        return tenant.apiKeys().listByType(entry.type()).stream()
                .filter(key -> key.keyName().equals(entry.name())).findFirst();
    }

    private static boolean sameSecret(TenantStores tenant, ApiKeyMetadata key, Secret secret) {
        try (Secret stored = tenant.apiKeys().reveal(key.id())) {
            return stored.equals(secret);
        }
    }

    private static boolean sameSecretQuietly(TenantStores tenant, ApiKeyMetadata key, Secret secret) {
        try {
            return sameSecret(tenant, key, secret);
        } catch (CryptoException e) {
            return false;
        }
    }

    private static String difference(String field, boolean differs) {
        return differs ? field : null;
    }

    private static String differences(String... fields) {
        List<String> differing = Arrays.stream(fields).filter(field -> field != null).toList();
        return differing.isEmpty() ? "exists, identical" : "exists, differs in " + String.join(", ", differing);
    }
}
