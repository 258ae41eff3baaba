package io.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The check that what a store or service writes beside the database (snapshots, backups) holds no secret in clear. */
public final class Plaintext {
    private Plaintext() {
    }

    /**
     * Fails when any of {@code files} that exists holds any of {@code secrets} in clear text (read byte for byte, so
     * that binary files are searched too); a file that does not exist holds nothing.
     */
    public static void assertAbsent(List<Path> files, String... secrets) throws IOException {
        for (Path file : files) {
            if (Files.exists(file)) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("file %s", file).doesNotContain(secret);
                }
            }
        }
    }
}
