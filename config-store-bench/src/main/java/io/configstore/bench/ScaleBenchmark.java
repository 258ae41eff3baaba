package io.configstore.bench;

import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-operation cost as the store grows: {@code entries} providers (ten per type, the first of each its type's
 * default) and {@code entries} documents, populated with raw JDBC batches on SQLite, then a read by id, the default
 * of a type and an update with a function, each touching one row in the middle. Flat from 1,000 to 1,000,000 is
 * the goal: every hot query uses an index (config-store-reliability's QueryPlanTest checks the plans).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScaleBenchmark {
    private static final ChangeContext CHANGE = ChangeContext.by("bench");

    @Param({"sqlite"})
    public String backend;

    @Param({"1000", "100000", "1000000"})
    public int entries;

    private BenchBackend opened;
    private StoreSet stores;
    private String middleId;
    private String middleType;
    private String middleDocument;

    /** Opens the store and populates it in raw JDBC batches of 10,000 rows, in one transaction. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        opened = BenchBackend.open(backend);
        stores = opened.stores();
        int middle = entries / 2;
        middleId = id(middle);
        middleType = "type" + (middle / 10);
        middleDocument = "doc-" + middle;
        long now = System.currentTimeMillis();
        try (Connection connection = opened.jdbc()) {
            connection.setAutoCommit(false);
            try (PreparedStatement provider = connection.prepareStatement("INSERT INTO provider_configs (tenant_id,"
                    + " id, provider_type, name, settings, is_default, enabled, priority, version, created_at,"
                    + " updated_at, changed_by) VALUES ('default', ?, ?, ?, '{\"url\":\"https://x.example\"}', ?, 1,"
                    + " 100, 1, ?, ?, 'bench')");
                 PreparedStatement document = connection.prepareStatement("INSERT INTO config_documents (tenant_id,"
                         + " name, content, format_version, revision, updated_at, changed_by) VALUES ('default', ?,"
                         + " '{\"count\":0}', 1, 1, ?, 'bench')")) {
                for (int i = 0; i < entries; i++) {
                    provider.setString(1, id(i));
                    provider.setString(2, "type" + (i / 10));
                    provider.setString(3, "p" + i);
                    provider.setInt(4, i % 10 == 0 ? 1 : 0);
                    provider.setLong(5, now);
                    provider.setLong(6, now);
                    provider.addBatch();
                    document.setString(1, "doc-" + i);
                    document.setLong(2, now);
                    document.addBatch();
                    if (i % 10_000 == 9_999) {
                        provider.executeBatch();
                        document.executeBatch();
                    }
                }
                provider.executeBatch();
                document.executeBatch();
            }
            connection.commit();
        }
    }

    private static String id(int i) {
        return String.format("00000000-0000-4000-8000-%012x", i);
    }

    /** Closes the store and deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        opened.close();
    }

    /** A provider by id. */
    @Benchmark
    public Optional<ProviderConfig> readById() {
        return stores.providers().get(middleId);
    }

    /** The default provider of a type (of ten), read from storage. */
    @Benchmark
    public Optional<ProviderConfig> defaultOfType() {
        return stores.providers().getDefault(middleType);
    }

    /** A document updated by a function. */
    @Benchmark
    public ConfigDocument updateWithFunction() {
        return stores.documents().update(middleDocument, doc -> doc.put("count", doc.path("count").asInt() + 1),
                CHANGE);
    }
}
