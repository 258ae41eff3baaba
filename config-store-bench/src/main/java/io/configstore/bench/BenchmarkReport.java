package io.configstore.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;

/**
 * The Markdown the benchmark script writes: per operation and backend the library's median, the floor's (raw JDBC,
 * same statements) and the ratio library/floor; for cached reads the bytes each allocates, the peer's median
 * (Commons Configuration 2) and the ratio peer/library; and the scale table, one row per operation, one column per
 * store size.
 */
final class BenchmarkReport {
    private BenchmarkReport() {
    }

    /** A median in nanoseconds per operation, keyed by "Class.method|backend" or "Class.method|backend|entries". */
    static Map<String, Double> medians(Collection<RunResult> results) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String backend = result.getParams().getParam("backend");
            String entries = result.getParams().getParam("entries");
            double median = result.getPrimaryResult().getStatistics().getPercentile(50.0);
            double nanos = median * nanosPer(result.getPrimaryResult().getScoreUnit());
            medians.put(name + "|" + backend + (entries == null ? "" : "|" + entries), nanos);
        }
        return medians;
    }

    /**
     * Bytes allocated per operation (JMH's GC profiler, when it ran), keyed as {@link #medians} keys them: what
     * shows whether a cached read is free of allocation.
     */
    static Map<String, Double> allocations(Collection<RunResult> results) {
        Map<String, Double> allocations = new LinkedHashMap<>();
        for (RunResult result : results) {
            var allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
            if (allocated != null) {
                String benchmark = result.getParams().getBenchmark();
                String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
                allocations.put(name + "|" + result.getParams().getParam("backend"), allocated.getScore());
            }
        }
        return allocations;
    }

    static String markdown(Collection<RunResult> results) {
        Map<String, Double> medians = medians(results);
        Map<String, Double> allocations = allocations(results);
        StringBuilder out = new StringBuilder();
        out.append("| operation | backend | library (median) | floor: raw JDBC | library / floor"
                + " | peer: Commons Configuration 2 | peer / library |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, Double> entry : medians.entrySet()) {
            String[] key = entry.getKey().split("\\|");
            String[] benchmark = key[0].split("\\.");
            if (key.length != 2 || benchmark[0].equals("FloorBenchmark") || benchmark[0].equals("PeerBenchmark")
                    || benchmark[0].equals("ImportFloorBenchmark")) {
                continue;
            }
            Double floor = switch (benchmark[0]) {
                case "StoreOperationsBenchmark" -> medians.get("FloorBenchmark." + benchmark[1] + "|" + key[1]);
                case "ImportBenchmark" -> medians.get("ImportFloorBenchmark." + benchmark[1] + "|" + key[1]);
                default -> null;
            };
            Double peer = key[0].equals("CachedReadBenchmark.cachedDefaultProvider")
                    ? medians.get("PeerBenchmark.readSetting|" + key[1]) : null;
            double library = entry.getValue();
            Double allocated = key[0].startsWith("CachedReadBenchmark.") ? allocations.get(entry.getKey()) : null;
            out.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(time(library))
                    .append(allocated == null ? "" : String.format(Locale.ROOT, ", %.0f B/op", allocated))
                    .append(" | ").append(floor == null ? "" : time(floor))
                    .append(" | ").append(floor == null ? "" : ratio(library / floor))
                    .append(" | ").append(peer == null ? "" : time(peer))
                    .append(" | ").append(peer == null ? "" : ratio(peer / library)).append(" |\n");
        }
        Map<String, Map<Integer, Double>> scale = new TreeMap<>();
        for (Map.Entry<String, Double> entry : medians.entrySet()) {
            String[] key = entry.getKey().split("\\|");
            if (key.length == 3) {
                scale.computeIfAbsent(key[0] + " (" + key[1] + ")", k -> new TreeMap<>())
                        .put(Integer.parseInt(key[2]), entry.getValue());
            }
        }
        if (!scale.isEmpty()) {
            List<Integer> sizes = new ArrayList<>(scale.values().iterator().next().keySet());
            out.append("\n| operation |");
            sizes.forEach(size -> out.append(String.format(Locale.ROOT, " %,d entries |", size)));
            out.append(" largest / smallest |\n| --- |");
            sizes.forEach(size -> out.append(" ---: |"));
            out.append(" ---: |\n");
            for (Map.Entry<String, Map<Integer, Double>> row : scale.entrySet()) {
                out.append("| ").append(row.getKey()).append(" |");
                sizes.forEach(size -> out.append(' ').append(row.getValue().containsKey(size)
                        ? time(row.getValue().get(size)) : "").append(" |"));
                Map<Integer, Double> bySize = row.getValue();
                double smallest = bySize.get(sizes.get(0));
                double largest = bySize.get(sizes.get(sizes.size() - 1));
                out.append(' ').append(ratio(largest / smallest)).append(" |\n");
            }
        }
        return out.toString();
    }

    private static double nanosPer(String unit) {
        return switch (unit.substring(0, unit.indexOf('/'))) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
        };
    }

    private static String time(double nanos) {
        if (nanos < 1e3) {
            return String.format(Locale.ROOT, "%.1f ns", nanos);
        } else if (nanos < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        } else if (nanos < 1e9) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }
}
