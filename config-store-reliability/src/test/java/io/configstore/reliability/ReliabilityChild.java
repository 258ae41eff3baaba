package io.configstore.reliability;

import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of the crash and concurrency tests. Prints READY once its store is open (a crash child: once it
 * has made one write of each kind), then:
 * <ul>
 *   <li>{@code crash <backend> <location> <prefix> <seed> <ackFile>}: writes until killed (single document and
 *       provider writes, and units of work of three writes: two documents and a provider), appending
 *       {@code ACK <name>} to {@code ackFile} after each write returns (one unbuffered write each, so that every line
 *       written before a SIGKILL is in the file);</li>
 *   <li>{@code increment <backend> <location> <threads> <perThread>}: waits for a line on standard input, then
 *       {@code threads} threads each increment the {@code counter} document {@code perThread} times through
 *       {@code update}; prints DONE and exits 0, or exits 1 with the first error on standard error.</li>
 * </ul>
 */
public final class ReliabilityChild {
    /** The provider type every crash write uses. */
    static final String CRASH_TYPE = "crash";

    private ReliabilityChild() {
    }

    public static void main(String[] args) throws Exception {
        Backends backend = Backends.valueOf(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (StoreSet stores = backend.open(args[2])) {
            if (!args[0].equals("crash")) {
                out.println("READY");
                out.flush();
            }
            switch (args[0]) {
                case "crash" -> {
                    try (FileOutputStream acks = new FileOutputStream(args[5], true)) {
                        writeUntilKilled(stores, args[3], Long.parseLong(args[4]), acks, out);
                    }
                }
                case "increment" -> increment(stores, Integer.parseInt(args[3]), Integer.parseInt(args[4]), out);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
        System.exit(0);
    }

    /** Reports READY once one write of each kind is done, so that the kill lands on warm, running writes. */
    private static void writeUntilKilled(StoreSet stores, String prefix, long seed, FileOutputStream acks,
                                         PrintStream out) throws IOException {
        writeCount(stores, prefix + "-w", 0, 3, acks);
        out.println("READY");
        out.flush();
        writeCount(stores, prefix, seed, Integer.MAX_VALUE, acks);
    }

    /** Writes {@code count} times, or until killed; the first three writes are one of each kind. */
    private static void writeCount(StoreSet stores, String prefix, long seed, int count, FileOutputStream out)
            throws IOException {
        ChangeContext change = ChangeContext.by("crash-child");
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int kind = count <= 3 ? i : random.nextInt(3);
            if (kind == 0) {
                String name = prefix + "-d" + i;
                stores.documents().save(name, Json.object().put("i", i), 1, ConfigDocument.NO_REVISION, change);
                acknowledge(out, name);
            } else if (kind == 1) {
                String name = prefix + "-p" + i;
                stores.providers().create(NewProviderConfig.of(CRASH_TYPE, name, Json.object().put("i", i)), change);
                acknowledge(out, name);
            } else {
                String unit = prefix + "-u" + i;
                int index = i;
                stores.inUnitOfWork(tx -> {
                    tx.documents().save(unit + "-a", Json.object().put("i", index), 1, ConfigDocument.NO_REVISION,
                            change);
                    tx.documents().save(unit + "-b", Json.object().put("i", index), 1, ConfigDocument.NO_REVISION,
                            change);
                    tx.providers().create(NewProviderConfig.of(CRASH_TYPE, unit, Json.object().put("i", index)),
                            change);
                    return null;
                });
                acknowledge(out, unit);
            }
        }
    }

    private static void acknowledge(FileOutputStream out, String name) throws IOException {
        out.write(("ACK " + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void increment(StoreSet stores, int threads, int perThread, PrintStream out) throws Exception {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ChangeContext change = ChangeContext.by("increment-child");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        stores.documents().update("counter",
                                doc -> doc.put("count", doc.path("count").asInt() + 1), change);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        if (failure.get() != null) {
            failure.get().printStackTrace();
            System.exit(1);
        }
        out.println("DONE");
        out.flush();
    }
}
