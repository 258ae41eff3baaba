package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar as a process against a {@code file:} store (a directory holding one JSON file), with the master key
 * derived from a password whose KDF parameters the store file keeps. The tool's jar does not bundle the file backend
 * yet, so its classes go beside the jar, as a host that ships it would put them; once the jar bundles it, the jar runs
 * alone.
 */
class CliFileProcessTest {
    private static final String SECRET = "sk-file-test-6d2e0b";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String PROVIDER_CLASS = "io/configstore/file/FileStoreSetProvider.class";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private CliProcess cli(String password) throws IOException {
        CliProcess cli = new CliProcess(dir, "", false).env("CONFIGSTORE_MASTER_PASSWORD", password);
        return jarBundlesTheFileBackend() ? cli : cli.withBackend(fileBackendClasses());
    }

    private static boolean jarBundlesTheFileBackend() throws IOException {
        try (JarFile jar = new JarFile(CliProcess.jar().toFile())) {
            return jar.getEntry(PROVIDER_CLASS) != null;
        }
    }

    /** The file module's classes, built before this module by the reactor (config-store-file precedes it). */
    private static Path fileBackendClasses() {
        Path root = CliProcess.jar().toAbsolutePath().getParent().getParent().getParent();
        Path classes = root.resolve("config-store-file/target/classes");
        if (!Files.isRegularFile(classes.resolve(PROVIDER_CLASS))) {
            throw new AssertionError("the file backend's classes are not built at " + classes + ": run mvn -pl"
                    + " config-store-file,config-store-cli -am verify");
        }
        return classes;
    }

    private static CliProcess.Result ok(CliProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out() + result.err()).doesNotContain(SECRET).doesNotContain(PASSWORD);
        return result;
    }

    @Test
    void a_key_put_into_a_file_store_is_listed_and_the_store_file_keeps_the_passwords_parameters() throws Exception {
        CliProcess cli = cli(PASSWORD);
        assertThat(ok(cli.runWithInput(SECRET + "\n", "key", "put", "openai", "prod", "--store", "file:store"))
                .out()).contains("stored API key openai/prod");

        JsonNode keys = MAPPER.readTree(ok(cli.run("key", "list", "--json", "--store", "file:store")).out());
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("providerType").asText()).isEqualTo("openai");
        assertThat(keys.get(0).get("keyName").asText()).isEqualTo("prod");
        assertThat(keys.get(0).get("active").asBoolean()).isTrue();

        String storeFile = Files.readString(dir.resolve("store/configstore.json"));
        assertThat(MAPPER.readTree(storeFile).at("/metadata/kdf-parameters").asText()).startsWith("$argon2id$");
        assertThat(storeFile).doesNotContain(SECRET).doesNotContain(PASSWORD);

        CliProcess.Result wrongPassword = cli("not the password").run("key", "list", "--store", "file:store");
        assertThat(wrongPassword.exitCode()).as(wrongPassword.toString()).isEqualTo(5);
        assertThat(wrongPassword.err()).contains("wrong key").doesNotContain("\tat ");
    }
}
