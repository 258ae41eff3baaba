package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the outage tests share: a bounded wait for a state, and the scan of snapshot files for plaintext secrets. */
final class Outages {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private Outages() {
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@link #DEADLINE}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Fails when any file holds any of the secrets in clear text. */
    static void assertNoPlaintext(List<Path> files, String... secrets) throws IOException {
        for (Path file : files) {
            if (Files.exists(file)) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("snapshot %s", file).doesNotContain(secret);
                }
            }
        }
    }
}
