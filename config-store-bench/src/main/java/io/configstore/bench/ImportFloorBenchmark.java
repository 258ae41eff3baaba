package io.configstore.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
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
 * The import's floor: the same provider rows as {@link ImportBenchmark}, inserted with the floor's INSERT
 * ({@link FloorStatements#CREATE_PROVIDER}) in JDBC batches of 1,000, in one transaction, on a fresh schema.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ImportFloorBenchmark {
    @Param({"sqlite", "postgres"})
    public String backend;

    /** How many providers one import inserts. */
    @Param({"100000"})
    public int providers;

    private BenchBackend opened;
    private Connection connection;

    /** A fresh, empty store (its schema) and a raw connection to it, for each import. */
    @Setup(Level.Invocation)
    public void setUp() throws IOException, SQLException {
        opened = BenchBackend.open(backend);
        connection = opened.jdbc();
        connection.setAutoCommit(false);
    }

    /** Closes the connection and the store, and deletes it. */
    @TearDown(Level.Invocation)
    public void tearDown() throws IOException, SQLException {
        connection.close();
        opened.close();
    }

    /** Inserts {@link #providers} rows, the first of each of 100 types its default; returns the row count. */
    @Benchmark
    public int importProviders() throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement insert = connection.prepareStatement(
                FloorStatements.in(backend, FloorStatements.CREATE_PROVIDER.get(1)))) {
            for (int i = 0; i < providers; i++) {
                insert.setString(1, "default");
                insert.setString(2, UUID.randomUUID().toString());
                insert.setString(3, "type" + (i % 100));
                insert.setString(4, "provider-" + i);
                insert.setString(5, "{\"url\":\"https://p" + i + ".example\"}");
                insert.setBoolean(6, i < 100);
                insert.setBoolean(7, true);
                insert.setLong(8, now);
                insert.setLong(9, now);
                insert.setString(10, "bench-import");
                insert.addBatch();
                if (i % 1000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        connection.commit();
        try (Statement count = connection.createStatement();
             var row = count.executeQuery("SELECT COUNT(*) FROM provider_configs")) {
            row.next();
            return row.getInt(1);
        }
    }
}
