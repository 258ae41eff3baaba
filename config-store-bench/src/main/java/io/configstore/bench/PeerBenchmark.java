package io.configstore.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.commons.configuration2.DatabaseConfiguration;
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
 * The peer: Apache Commons Configuration 2's {@link DatabaseConfiguration}, what a user might pick instead, reading
 * the same values (the settings of the default {@code openai} provider) from the same SQLite database, through a
 * HikariCP pool as the library reads its own. It queries the table on every read; compare with
 * {@code CachedReadBenchmark.cachedDefaultProvider} (the report does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerBenchmark {
    @Param({"sqlite"})
    public String backend;

    private BenchBackend opened;
    private HikariDataSource pool;
    private DatabaseConfiguration configuration;

    /** Stores the provider through the library, and its settings as key/value rows in the same database file. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        opened = BenchBackend.open(backend);
        opened.stores().providers().create(NewProviderConfig.of("openai", "primary",
                Json.object().put("url", "https://api.openai.com").put("model", "gpt-4o")).asDefault(),
                ChangeContext.by("bench"));
        try (Connection connection = opened.jdbc(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE peer_settings (name TEXT NOT NULL, key TEXT NOT NULL,"
                    + " value TEXT, PRIMARY KEY (name, key))");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO peer_settings (name, key, value) VALUES ('openai', ?, ?)")) {
                for (String[] row : new String[][] {{"url", "https://api.openai.com"}, {"model", "gpt-4o"}}) {
                    insert.setString(1, row[0]);
                    insert.setString(2, row[1]);
                    insert.executeUpdate();
                }
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + opened.sqliteFile());
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        configuration = new DatabaseConfiguration();
        configuration.setDataSource(pool);
        configuration.setTable("peer_settings");
        configuration.setConfigurationNameColumn("name");
        configuration.setConfigurationName("openai");
        configuration.setKeyColumn("key");
        configuration.setValueColumn("value");
    }

    /** Closes the pool and the store, and deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.close();
        opened.close();
    }

    /** One setting of the provider, read through the peer. */
    @Benchmark
    public String readSetting() {
        return configuration.getString("url");
    }
}
