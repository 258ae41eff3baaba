/** Runnable examples of the README's quick start and effective configuration. */
module io.configstore.examples {
    requires io.configstore.sqlite;

    exports io.configstore.examples;
}
