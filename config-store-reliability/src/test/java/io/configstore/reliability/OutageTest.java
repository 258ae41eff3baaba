package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.error.StorageException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage: a private server (initdb and pg_ctl from /usr/lib/postgresql/&lt;version&gt;/bin, on a free
 * port in a temporary directory, run as user postgres when the test runs as root) is stopped during a run and started
 * again. While it is down every call fails with a {@link StorageException}; after it is back the store serves reads
 * and writes again, and a subscriber gets a RESYNC and then the changes another instance makes. The shared server on
 * 5432 is never touched.
 */
class OutageTest {
    private static final ChangeContext CHANGE = ChangeContext.by("outage-test");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private Path home;
    private Path data;
    private int port;
    private String bin;
    private boolean root;

    @BeforeEach
    void startPrivateServer() throws Exception {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no PostgreSQL binaries under /usr/lib/postgresql; install"
                            + " the postgresql package"))
                    .toString();
        }
        root = "root".equals(System.getProperty("user.name"));
        // Readable by user postgres, which runs the server when the test runs as root.
        home = Files.createTempDirectory("configstore-outage-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        data = home.resolve("data");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        run(bin + "/initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        pgCtl("start");
    }

    @AfterEach
    void removePrivateServer() throws Exception {
        try {
            run(bin + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } catch (AssertionError alreadyStopped) {
            // Stopped by the test already.
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void a_stopped_server_gives_storage_errors_and_once_started_full_service_and_a_resynced_feed()
            throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        try (StoreSet stores = Backends.postgres(url, "outage").maxReconnectDelay(Duration.ofMillis(500)).open()) {
            stores.subscribe(events::add);
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);

            pgCtl("stop");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> stores.documents().load("app")).isInstanceOf(StorageException.class)
                        .message().isNotBlank();
                assertThatThrownBy(() -> stores.documents().update("app", doc -> doc.put("v", 2), CHANGE))
                        .isInstanceOf(StorageException.class);
            }

            pgCtl("start");
            ConfigDocument updated = awaitSuccess(() -> stores.documents().update("app", doc -> doc.put("v", 2),
                    CHANGE));
            assertThat(updated.content().get("v").asInt()).isEqualTo(2);
            assertThat(stores.documents().load("app").orElseThrow().revision()).isEqualTo(2);

            awaitEvent(events, ChangeKind.RESYNC, null);
            try (StoreSet other = Backends.postgres(url, "outage").open()) {
                other.documents().save("other", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
            }
            awaitEvent(events, ChangeKind.CHANGED, "other");
        }
    }

    private static <T> T awaitSuccess(java.util.function.Supplier<T> call) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until("service again after the restart", DEADLINE, () -> {
            try {
                result.set(call.get());
                return true;
            } catch (StorageException e) {
                return false;
            }
        });
        return result.get();
    }

    private static void awaitEvent(BlockingQueue<ChangeEvent> events, ChangeKind kind, String key)
            throws InterruptedException {
        Await.next(events, "a " + kind + " event" + (key == null ? "" : " for " + key), DEADLINE,
                event -> event.kind() == kind && (key == null || key.equals(event.key())));
    }

    private void pgCtl(String action) throws IOException, InterruptedException {
        if (action.equals("start")) {
            run(bin + "/pg_ctl", "-D", data.toString(), "-l", home.resolve("server.log").toString(), "-w", "-t",
                    "60", "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start");
        } else {
            run(bin + "/pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        }
    }

    /** Runs a PostgreSQL program, as user postgres when this JVM runs as root (the server refuses root). */
    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path log = home.resolve("command.log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", full) + " failed: " + Files.readString(log));
        }
    }
}
