package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random, seeded moments: a child JVM writes (single writes and three-write units of work, documents and
 * providers) and records each acknowledged write; the test kills it ({@code destroyForcibly}, SIGKILL on Linux),
 * reopens the store and checks that it is intact (SQLite's integrity check; the file backend opens without
 * recovering from a backup), that every acknowledged write is there and that no unit of work is half-applied. For
 * PostgreSQL the client is killed. 200 kills per backend, 1,000 with {@code -Dconfigstore.reliability.profile=long}.
 */
class CrashTest {
    /** The seed of every random choice; a failure names the lane and cycle, so a run can be replayed. */
    private static final long SEED = 0x5eed_c0deL;
    /** Children run two at a time, each on its own location: JVM start-up, not the machine's cores, dominates. */
    private static final int LANES = 2;
    /** A location is replaced after this many kills, so that the file backend's whole-file writes stay small. */
    private static final int KILLS_PER_LOCATION = 25;
    /** The latest moment of a kill after the child reports READY. */
    private static final int MAX_KILL_DELAY_MS = 250;
    /** A small, quickly started child: its start-up is most of each cycle. */
    static final List<String> QUICK_JVM = List.of("-Xmx64m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");

    private static final Pattern UNIT_PART = Pattern.compile("(.*-u\\d+)(-a|-b)?");

    @TempDir
    Path dir;

    static int kills() {
        return "long".equals(System.getProperty("configstore.reliability.profile")) ? 1000 : 200;
    }

    @Test
    void sqlite_keeps_every_acknowledged_write_and_no_half_unit_through_repeated_sigkills() throws Exception {
        killRepeatedly(Backends.SQLITE);
    }

    @Test
    void file_store_keeps_every_acknowledged_write_and_no_half_unit_through_repeated_sigkills() throws Exception {
        killRepeatedly(Backends.FILE);
    }

    @Test
    void postgres_keeps_every_acknowledged_write_and_no_half_unit_when_its_client_is_killed() throws Exception {
        killRepeatedly(Backends.POSTGRES);
    }

    private void killRepeatedly(Backends backend) throws Exception {
        int kills = kills();
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                int laneId = lane;
                int cycles = kills / LANES + (lane < kills % LANES ? 1 : 0);
                results.add(lanes.submit(() -> runLane(backend, laneId, cycles)));
            }
            int killed = 0;
            int killedMidRun = 0;
            int acknowledged = 0;
            for (Future<int[]> result : results) {
                int[] counts = result.get(30, TimeUnit.MINUTES);
                killed += counts[0];
                killedMidRun += counts[1];
                acknowledged += counts[2];
            }
            System.out.printf("%s: %d kills, %d after the child had acknowledged writes, %d writes acknowledged%n",
                    backend, killed, killedMidRun, acknowledged);
            assertThat(killed).isEqualTo(kills);
            // Most kills must land while the child is writing, or the test proves little.
            assertThat(killedMidRun).as("kills that interrupted a writing child").isGreaterThan(kills / 2);
        } finally {
            lanes.shutdownNow();
        }
    }

    /** Runs {@code cycles} start-kill-check cycles; returns kills, kills after a first ack, and acks. */
    private int[] runLane(Backends backend, int lane, int cycles) throws Exception {
        Random random = new Random(SEED + 31L * backend.ordinal() + lane);
        Map<String, Integer> acked = new HashMap<>();
        String location = null;
        int killedMidRun = 0;
        int acknowledged = 0;
        try {
            for (int cycle = 0; cycle < cycles; cycle++) {
                if (cycle % KILLS_PER_LOCATION == 0) {
                    if (location != null) {
                        backend.drop(location);
                    }
                    location = backend.newLocation(dir, "lane" + lane + "-" + cycle);
                    acked.clear();
                }
                String prefix = "l" + lane + "c" + cycle;
                Path errors = dir.resolve(prefix + ".err");
                Path acks = dir.resolve(prefix + ".acks");
                Process child = ChildJvms.startOne(ReliabilityChild.class, errors, QUICK_JVM, "crash",
                        backend.name(), location, prefix, Long.toString(random.nextLong()), acks.toString());
                Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS + 1));
                child.destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                List<String> lines = Files.exists(acks) ? completeLines(Files.readAllBytes(acks)) : List.of();
                assertThat(Files.readString(errors)).as("child stderr, lane %d cycle %d", lane, cycle)
                        .doesNotContain("Exception");
                for (String line : lines) {
                    assertThat(line).startsWith("ACK ");
                    String name = line.substring(4);
                    acked.put(name, Integer.parseInt(name.substring(name.lastIndexOf('-') + 2)));
                }
                if (!lines.isEmpty()) {
                    killedMidRun++;
                }
                acknowledged += lines.size();
                verify(backend, location, acked, "lane " + lane + " cycle " + cycle);
            }
        } finally {
            if (location != null) {
                backend.drop(location);
            }
        }
        return new int[] {cycles, killedMidRun, acknowledged};
    }

    /** The lines ended by a newline: a line cut by the kill was never acknowledged. */
    private static List<String> completeLines(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    private static void verify(Backends backend, String location, Map<String, Integer> acked, String where)
            throws Exception {
        if (backend == Backends.SQLITE) {
            assertThat(Backends.sqliteQuery(Path.of(location), "PRAGMA integrity_check")).as(where)
                    .containsExactly("ok");
        }
        try (StoreSet stores = backend.open(location)) {
            if (backend == Backends.FILE) {
                try (Stream<Path> files = Files.list(Path.of(location))) {
                    assertThat(files.map(p -> p.getFileName().toString()))
                            .as("%s: the store file opened without recovery from a backup", where)
                            .noneMatch(n -> n.contains(".corrupt-"));
                }
            }
            Set<String> documents = new HashSet<>(stores.documents().names());
            Set<String> providers = new HashSet<>();
            for (ProviderConfig provider : stores.providers().listByType(ReliabilityChild.CRASH_TYPE)) {
                providers.add(provider.name());
            }
            for (Map.Entry<String, Integer> write : acked.entrySet()) {
                String name = write.getKey();
                if (name.contains("-u")) {
                    assertThat(documents).as("%s: acknowledged unit %s", where, name)
                            .contains(name + "-a", name + "-b");
                    assertThat(providers).as("%s: acknowledged unit %s", where, name).contains(name);
                } else if (name.contains("-d")) {
                    assertThat(documents).as("%s: acknowledged document", where).contains(name);
                } else {
                    assertThat(providers).as("%s: acknowledged provider", where).contains(name);
                }
            }
            Set<String> units = new HashSet<>();
            Stream.concat(documents.stream(), providers.stream()).forEach(name -> {
                Matcher unit = UNIT_PART.matcher(name);
                if (unit.matches()) {
                    units.add(unit.group(1));
                }
            });
            for (String unit : units) {
                assertThat(documents).as("%s: unit %s is whole", where, unit).contains(unit + "-a", unit + "-b");
                assertThat(providers).as("%s: unit %s is whole", where, unit).contains(unit);
                ConfigDocument first = stores.documents().load(unit + "-a").orElseThrow();
                assertThat(first.revision()).isEqualTo(1);
            }
        }
    }
}
