package io.configstore.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 * The import's floor: the same provider rows as {@link ImportBenchmark}, with their history rows and change notices,
 * inserted with the floor's statements ({@link FloorStatements}) in JDBC batches of 1,000, in one transaction, on a
 * fresh schema. No per-row name or default check: the rows are known to be new, which the library cannot assume.
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

    /**
     * Inserts {@link #providers} rows, the first of each of 100 types its default, each with its history row and
     * change notice (SQLite: a change_log row; PostgreSQL: one pg_notify of every payload), as the library writes
     * them; returns the row count.
     */
    @Benchmark
    public int importProviders() throws SQLException {
        long now = System.currentTimeMillis();
        List<String> payloads = new ArrayList<>();
        try (PreparedStatement insert = prepare(FloorStatements.CREATE_PROVIDER.get(2));
             PreparedStatement history = prepare(FloorStatements.HISTORY.get(1));
             PreparedStatement notice = postgres() ? null : prepare(FloorStatements.SQLITE_CHANGE_NOTICE)) {
            for (int i = 0; i < providers; i++) {
                String id = UUID.randomUUID().toString();
                String name = "provider-" + i;
                String settings = "{\"url\":\"https://p" + i + ".example\"}";
                insert.setString(1, "default");
                insert.setString(2, id);
                insert.setString(3, "type" + (i % 100));
                insert.setString(4, name);
                insert.setString(5, settings);
                insert.setBoolean(6, i < 100);
                insert.setBoolean(7, true);
                insert.setLong(8, now);
                insert.setLong(9, now);
                insert.setString(10, "bench-import");
                insert.addBatch();
                history.setString(1, "default");
                history.setString(2, "PROVIDER_CONFIG");
                history.setString(3, id);
                history.setLong(4, 1);
                history.setString(5, "CREATE");
                history.setLong(6, now);
                history.setString(7, "bench-import");
                history.setString(8, FloorStatements.providerSnapshot(id, "type" + (i % 100), name, settings, i < 100,
                        "bench-import", now));
                history.addBatch();
                if (notice == null) {
                    payloads.add("PROVIDER:" + id + ":1");
                } else {
                    notice.setString(1, "PROVIDER_CONFIG");
                    notice.setString(2, "default");
                    notice.setString(3, id);
                    notice.setLong(4, 1);
                    notice.setString(5, "floor");
                    notice.setLong(6, now);
                    notice.addBatch();
                }
                if (i % 1000 == 999) {
                    executeBatches(insert, history, notice);
                }
            }
            executeBatches(insert, history, notice);
        }
        if (postgres()) {
            try (PreparedStatement notify = prepare(FloorStatements.POSTGRES_CHANGE_NOTICE)) {
                notify.setString(1, "configstore_floor");
                notify.setArray(2, connection.createArrayOf("text", payloads.toArray()));
                notify.executeQuery().close();
            }
        }
        connection.commit();
        try (Statement count = connection.createStatement();
             var row = count.executeQuery("SELECT COUNT(*) FROM provider_configs")) {
            row.next();
            return row.getInt(1);
        }
    }

    private boolean postgres() {
        return backend.equals("postgres");
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        return connection.prepareStatement(FloorStatements.in(backend, sql));
    }

    private static void executeBatches(PreparedStatement... statements) throws SQLException {
        for (PreparedStatement statement : statements) {
            if (statement != null) {
                statement.executeBatch();
            }
        }
    }
}
