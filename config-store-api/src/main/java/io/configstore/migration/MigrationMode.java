package io.configstore.migration;

/** What a backend does with its schema when it opens. */
public enum MigrationMode {
    /** Apply pending migrations on open. The default. */
    MIGRATE,
    /** Apply nothing; fail on open, listing them, when migrations are pending. For production roll-outs. */
    VALIDATE
}
