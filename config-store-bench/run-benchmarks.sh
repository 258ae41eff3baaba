#!/usr/bin/env bash
# Runs the benchmarks' short profile (planned for under ten minutes on two cores) and writes a Markdown table of
# medians and ratios (library/floor, peer/library) to the file given as first argument
# (default config-store-bench/target/benchmarks.md). Needs the PostgreSQL server the tests use (127.0.0.1:5432, user
# postgres, or CONFIGSTORE_BENCH_PG_URL / CONFIGSTORE_BENCH_PG_USER). Extra Maven flags: MVN_FLAGS (e.g. -o).
# --smoke as second argument runs every benchmark once briefly instead (proves they work, measures nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-config-store-bench/target/benchmarks.md}"
profile="${2:---short}"
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT

# -am builds the modules the benchmarks use; the bench module is built last, so its classpath is the one kept.
mvn -B -q ${MVN_FLAGS:-} -pl config-store-bench -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$classpath" -Dmdep.includeScope=runtime

mkdir -p "$(dirname "$out")"
start=$(date +%s)
java -cp "config-store-bench/target/classes:$(cat "$classpath")" io.configstore.bench.BenchmarkRunner \
  "$profile" --markdown "$out"
echo "benchmarks took $(( $(date +%s) - start )) s; table in $out"
cat "$out"
