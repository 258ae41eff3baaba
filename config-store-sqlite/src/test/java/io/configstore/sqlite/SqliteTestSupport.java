package io.configstore.sqlite;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small fixtures shared by the SQLite tests. */
final class SqliteTestSupport {
    private SqliteTestSupport() {
    }

    /** The suite's one test key: every open of one database must use the key it was written with. */
    private static final byte[] TEST_KEY = new byte[AesGcmSecretCipher.KEY_BYTES];

    static {
        for (int i = 0; i < TEST_KEY.length; i++) {
            TEST_KEY[i] = (byte) (31 * i + 7);
        }
    }

    /** A cipher over the suite's fixed test key, so that reopening a database (or a child process) can read it. */
    static SecretCipher testCipher() {
        return AesGcmSecretCipher.of("test", TEST_KEY);
    }

    /** The first column of every row of {@code sql}, read on a raw connection outside the store. */
    static List<String> query(Path db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }

    /** Runs one statement on a raw connection outside the store. */
    static void execute(Path db, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
