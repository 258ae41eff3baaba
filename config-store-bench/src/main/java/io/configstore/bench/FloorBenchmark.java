package io.configstore.bench;

import io.configstore.crypto.Secret;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * The floor: raw JDBC on one connection issuing the statements of {@link FloorStatements} on the same database
 * (same schema, created by the store) the library uses in {@link StoreOperationsBenchmark}, method for method. No
 * pool, no validation, no JSON tree, no retry: the cost of the work itself, which the library can approach but not
 * beat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {
    @Param({"sqlite", "postgres"})
    public String backend;

    private BenchBackend opened;
    private Connection connection;
    private boolean postgres;
    private String providerId;
    private String keyId;
    private long created;
    private final List<PreparedStatement> createProvider = new ArrayList<>();
    private final List<PreparedStatement> updateDocument = new ArrayList<>();
    private final List<PreparedStatement> history = new ArrayList<>();
    private PreparedStatement readProvider;
    private PreparedStatement readKey;
    private PreparedStatement recordUsage;
    private PreparedStatement notice;
    private Statement plain;

    /** Opens the store (which creates the schema), writes the rows to read through it, then opens the raw connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        opened = BenchBackend.open(backend);
        ChangeContext change = ChangeContext.by("bench");
        providerId = opened.stores().providers().create(NewProviderConfig.of("openai", "main",
                Json.object().put("url", "https://api.openai.com")), change).id();
        keyId = opened.stores().apiKeys().store("openai", "main", Secret.of("sk-" + "x".repeat(48)), change).id();
        for (String name : new String[] {"counter", "a", "b", "c"}) {
            opened.stores().documents().save(name, Json.object().put("count", 0), 1, ConfigDocument.NO_REVISION,
                    change);
        }
        postgres = backend.equals("postgres");
        connection = opened.jdbc();
        if (postgres) {
            connection.setAutoCommit(false);
        }
        plain = connection.createStatement();
        readProvider = prepare(FloorStatements.READ_PROVIDER);
        readKey = prepare(FloorStatements.READ_API_KEY);
        recordUsage = prepare(FloorStatements.RECORD_USAGE);
        for (String sql : FloorStatements.CREATE_PROVIDER) {
            createProvider.add(prepare(sql));
        }
        for (String sql : FloorStatements.UPDATE_DOCUMENT) {
            updateDocument.add(prepare(sql));
        }
        for (String sql : FloorStatements.HISTORY) {
            history.add(prepare(sql));
        }
        notice = prepare(postgres ? FloorStatements.POSTGRES_CHANGE_NOTICE : FloorStatements.SQLITE_CHANGE_NOTICE);
        if (postgres) {
            connection.commit();
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        return connection.prepareStatement(FloorStatements.in(backend, sql));
    }

    /** Closes the connection and the store, and deletes the database. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        connection.close();
        opened.close();
    }

    /** A provider by id: one indexed SELECT, every column read. */
    @Benchmark
    public int readById() throws SQLException {
        readProvider.setString(1, "default");
        readProvider.setString(2, providerId);
        int length = 0;
        try (ResultSet row = readProvider.executeQuery()) {
            while (row.next()) {
                for (int column = 1; column <= 13; column++) {
                    String value = row.getString(column);
                    length += value == null ? 0 : value.length();
                }
            }
        }
        if (postgres) {
            connection.commit();
        }
        return length;
    }

    /** A new provider: name and default checks, the INSERT, its history row and change notice, in one transaction. */
    @Benchmark
    public int create() throws SQLException {
        begin();
        String name = "floor-" + created++;
        String id = UUID.randomUUID().toString();
        PreparedStatement check = createProvider.get(0);
        check.setString(1, "default");
        check.setString(2, "openai");
        check.setString(3, name);
        try (ResultSet row = check.executeQuery()) {
            if (row.next()) {
                throw new IllegalStateException("duplicate " + name);
            }
        }
        PreparedStatement currentDefault = createProvider.get(1);
        currentDefault.setString(1, "default");
        currentDefault.setString(2, "openai");
        boolean makeDefault;
        try (ResultSet row = currentDefault.executeQuery()) {
            makeDefault = !row.next();
        }
        long now = System.currentTimeMillis();
        PreparedStatement insert = createProvider.get(2);
        insert.setString(1, "default");
        insert.setString(2, id);
        insert.setString(3, "openai");
        insert.setString(4, name);
        insert.setString(5, "{\"url\":\"https://floor.example\"}");
        insert.setBoolean(6, makeDefault);
        insert.setBoolean(7, true);
        insert.setLong(8, now);
        insert.setLong(9, now);
        insert.setString(10, "bench");
        int rows = insert.executeUpdate();
        // A fresh id has no history: version 1, not looked up (as the library does).
        historyAt("PROVIDER_CONFIG", id, 1, "CREATE", FloorStatements.providerSnapshot(id, "openai", name,
                "{\"url\":\"https://floor.example\"}", makeDefault, "bench", now));
        notice("PROVIDER", id, 1);
        commit();
        return rows;
    }

    /** A document updated with a function: read, compare-and-set on the revision, change notice. */
    @Benchmark
    public int updateWithFunction() throws SQLException {
        begin();
        int rows = updateDocument("counter");
        commit();
        return rows;
    }

    /** Three document updates in one transaction. */
    @Benchmark
    public int unitOfWork() throws SQLException {
        begin();
        int rows = updateDocument("a") + updateDocument("b") + updateDocument("c");
        commit();
        return rows;
    }

    /** The row of a key (the library adds the decryption). */
    @Benchmark
    public String reveal() throws SQLException {
        readKey.setString(1, "default");
        readKey.setString(2, keyId);
        String ciphertext;
        try (ResultSet row = readKey.executeQuery()) {
            row.next();
            ciphertext = row.getString("ciphertext");
        }
        if (postgres) {
            connection.commit();
        }
        return ciphertext;
    }

    /** The UPDATE of a key's last use, in its own write transaction. */
    @Benchmark
    public int recordUsage() throws SQLException {
        begin();
        recordUsage.setLong(1, System.currentTimeMillis());
        recordUsage.setString(2, "default");
        recordUsage.setString(3, keyId);
        int rows = recordUsage.executeUpdate();
        commit();
        return rows;
    }

    private int updateDocument(String name) throws SQLException {
        PreparedStatement select = updateDocument.get(0);
        select.setString(1, "default");
        select.setString(2, name);
        long revision;
        String content;
        try (ResultSet row = select.executeQuery()) {
            row.next();
            content = row.getString("content");
            revision = row.getLong("revision");
        }
        PreparedStatement update = updateDocument.get(1);
        update.setString(1, content);
        update.setLong(2, revision + 1);
        update.setLong(3, System.currentTimeMillis());
        update.setString(4, "bench");
        update.setString(5, "default");
        update.setString(6, name);
        update.setLong(7, revision);
        int rows = update.executeUpdate();
        history("CONFIG_DOCUMENT", name, "UPDATE", content);
        notice("DOCUMENT", name, revision + 1);
        return rows;
    }

    private void history(String entity, String id, String changeType, String snapshot) throws SQLException {
        PreparedStatement last = history.get(0);
        last.setString(1, "default");
        last.setString(2, entity);
        last.setString(3, id);
        long version;
        try (ResultSet row = last.executeQuery()) {
            row.next();
            version = row.getLong(1) + 1;
        }
        historyAt(entity, id, version, changeType, snapshot);
    }

    private void historyAt(String entity, String id, long version, String changeType, String snapshot)
            throws SQLException {
        PreparedStatement insert = history.get(1);
        insert.setString(1, "default");
        insert.setString(2, entity);
        insert.setString(3, id);
        insert.setLong(4, version);
        insert.setString(5, changeType);
        insert.setLong(6, System.currentTimeMillis());
        insert.setString(7, "bench");
        insert.setString(8, snapshot);
        insert.executeUpdate();
    }

    private void notice(String entity, String key, long version) throws SQLException {
        if (postgres) {
            notice.setString(1, "configstore_floor");
            notice.setArray(2, connection.createArrayOf("text", new Object[] {entity + ":" + key + ":" + version}));
            notice.executeQuery().close();
        } else {
            notice.setString(1, entity);
            notice.setString(2, "default");
            notice.setString(3, key);
            notice.setLong(4, version);
            notice.setString(5, "floor");
            notice.setLong(6, System.currentTimeMillis());
            notice.executeUpdate();
        }
    }

    /** SQLite: BEGIN IMMEDIATE, as the store's writers take the write lock up front; PostgreSQL: autocommit off. */
    private void begin() throws SQLException {
        if (!postgres) {
            plain.execute("BEGIN IMMEDIATE");
        }
    }

    private void commit() throws SQLException {
        if (postgres) {
            connection.commit();
        } else {
            plain.execute("COMMIT");
        }
    }
}
