package io.configstore.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.DuplicateException;
import io.configstore.error.VersionConflictException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imports what a host kept before configstore, once, on its first start: a JSON configuration file (as a document),
 * a legacy {@code provider_keys.json}, and optionally the provider keys in the environment. Call {@link #run} at
 * start-up, every time: the first run imports and records that it ran (the document {@value #STATE_DOCUMENT} of the
 * tenant, written in the same unit of work as the imports), every later run reads that record and does nothing.
 *
 * <p><b>Guarantees.</b> All sources import in one unit of work, entries the store holds already are skipped (never
 * overwritten), every secret is verified before commit, and a failure (an unparsable file, a wrong key) rolls
 * everything back, the record included, so the next start tries again. A configured file that does not exist is not an
 * error (a fresh installation has none): the report notes it, and the bootstrap still counts as done. Two instances
 * starting together: one imports, the other finds the record (or conflicts on it and then finds it) and does nothing.
 *
 * <pre>{@code
 * BootstrapReport report = Bootstrap.builder()
 *         .configFile(Path.of("config/app.json"), "app")
 *         .providerKeysFile(Path.of("config/provider_keys.json"))
 *         .environment(System.getenv(), ProviderKeyVariables.defaults())
 *         .build()
 *         .run(stores);
 * log.info(report.summary());
 * }</pre>
 */
public final class Bootstrap {
    /** The document recording that the bootstrap ran: {@code {"completedAt", "sources": [...]}}. */
    public static final String STATE_DOCUMENT = "configstore:bootstrap";

    private final String tenantId;
    private final Path configFile;
    private final String documentName;
    private final Path providerKeysFile;
    private final EnvironmentKeys environment;
    private final ChangeContext change;
    private final Clock clock;

    private Bootstrap(Builder builder) {
        this.tenantId = builder.tenantId;
        this.configFile = builder.configFile;
        this.documentName = builder.documentName;
        this.providerKeysFile = builder.providerKeysFile;
        this.environment = builder.environment;
        this.change = builder.change;
        this.clock = builder.clock;
    }

    /** A builder with nothing to import yet, for the default tenant. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Imports the configured sources unless the store was bootstrapped already.
     *
     * @throws io.configstore.error.ValidationException when a file exists but cannot be parsed (nothing written)
     * @throws io.configstore.error.CryptoException when a secret does not verify (nothing written)
     */
    public BootstrapReport run(StoreSet stores) {
        Arguments.requireNonNull("stores", stores);
        TenantStores tenant = stores.forTenant(tenantId);
        Optional<BootstrapReport> done = alreadyDone(tenant);
        if (done.isPresent()) {
            return done.get();
        }
        try {
            return stores.inUnitOfWork(tx -> importAll(stores, tenant));
        } catch (VersionConflictException | DuplicateException raced) {
            // Another instance recorded the bootstrap while this one ran: its import counts.
            return alreadyDone(tenant).orElseThrow(() -> raced);
        }
    }

    private static Optional<BootstrapReport> alreadyDone(TenantStores tenant) {
        return tenant.documents().load(STATE_DOCUMENT).map(document -> new BootstrapReport(true,
                document.content().path("completedAt").asText(""), List.of(), List.of()));
    }

    private BootstrapReport importAll(StoreSet stores, TenantStores tenant) {
        // The record first: a concurrent bootstrap conflicts here, before importing anything.
        ConfigDocument claim = tenant.documents().save(STATE_DOCUMENT, Json.object().put("status", "running"),
                1, ConfigDocument.NO_REVISION, change);
        ImportOptions options = ImportOptions.skipExisting(change);
        List<ImportReport> reports = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (configFile != null) {
            if (Files.exists(configFile)) {
                reports.add(JsonConfigFile.of(configFile, documentName).intoTenant(tenantId)
                        .importInto(stores, options, ImportProgress.NONE));
            } else {
                notes.add("no configuration file at " + configFile);
            }
        }
        if (providerKeysFile != null) {
            if (Files.exists(providerKeysFile)) {
                reports.add(ProviderKeysFile.of(providerKeysFile).intoTenant(tenantId)
                        .importInto(stores, options, ImportProgress.NONE));
            } else {
                notes.add("no provider key file at " + providerKeysFile);
            }
        }
        if (environment != null) {
            reports.add(environment.intoTenant(tenantId).importInto(stores, options, ImportProgress.NONE));
        }
        String completedAt = clock.instant().toString();
        ObjectNode state = Json.object().put("completedAt", completedAt);
        ArrayNode sources = state.putArray("sources");
        for (ImportReport report : reports) {
            sources.addObject().put("source", report.source()).put("imported", report.imported())
                    .put("skipped", report.skipped()).put("failed", report.failed());
        }
        notes.forEach(state.putArray("notes")::add);
        tenant.documents().save(STATE_DOCUMENT, state, 1, claim.revision(), change);
        return new BootstrapReport(false, completedAt, reports, notes);
    }

    /** Configures a {@link Bootstrap}. */
    public static final class Builder {
        private String tenantId = TenantStores.DEFAULT_TENANT;
        private Path configFile;
        private String documentName;
        private Path providerKeysFile;
        private EnvironmentKeys environment;
        private ChangeContext change = ChangeContext.by("bootstrap", "first start: import existing configuration");
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Imports {@code file} (a JSON object) as the document {@code name}. */
        public Builder configFile(Path file, String name) {
            this.configFile = Arguments.requireNonNull("file", file);
            this.documentName = Arguments.requireName("name", name);
            return this;
        }

        /** Imports a {@code provider_keys.json} ({@link ProviderKeysFile}). */
        public Builder providerKeysFile(Path file) {
            this.providerKeysFile = Arguments.requireNonNull("file", file);
            return this;
        }

        /** Imports the provider keys found in {@code variables} ({@link EnvironmentKeys}). */
        public Builder environment(Map<String, String> variables, ProviderKeyVariables table) {
            this.environment = EnvironmentKeys.of(variables, table);
            return this;
        }

        /** The tenant to import into and record the bootstrap in (default: the default tenant). */
        public Builder tenant(String tenant) {
            this.tenantId = Arguments.requireTenantId(tenant);
            return this;
        }

        /** Who and why, kept with every row written (default: {@code bootstrap}). */
        public Builder change(ChangeContext context) {
            this.change = Arguments.requireNonNull("change", context);
            return this;
        }

        /** The clock stamping the record (tests). */
        public Builder clock(Clock value) {
            this.clock = Arguments.requireNonNull("clock", value);
            return this;
        }

        /** The bootstrap. */
        public Bootstrap build() {
            return new Bootstrap(this);
        }
    }
}
