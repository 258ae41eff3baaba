package io.configstore.testkit;

/**
 * A backend under test: makes fresh, isolated storage locations. Implemented once per backend by its test code, and
 * handed to the kit through {@link StoreContract#backend()}.
 *
 * <pre>{@code
 * class SqliteContractTest implements StoreContractKit {
 *     @TempDir Path dir;
 *     public StoreBackend backend() {
 *         return () -> new SqliteLocation(dir.resolve(UUID.randomUUID() + ".db"));
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface StoreBackend {
    /**
     * A new, empty storage location (a fresh SQLite file, directory, database schema...), isolated from all others.
     * Called once per test; the kit closes it after the test.
     *
     * @throws Exception when the location cannot be prepared; the test then fails with it
     */
    StoreLocation newLocation() throws Exception;
}
