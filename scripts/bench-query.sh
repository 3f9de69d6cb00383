#!/usr/bin/env bash
# Query benchmark (issue 4): a collection of at least 10M tokens (the essays and books of ../shared/corpora, repeated as
# distinct documents) written through the service's chunker and Archive into a scratch embedded archive, with
# all-MiniLM-L6-v2 vectors; then retrieval + planning latency of the 300 SciFact test claims (retrieve mode, qwen3
# profile; p50/p95/p99/max, query embedding apart) and the assembly of their prompts, and stuffed prompts over about
# 1M and 10M tokens (llama4-scout profile) assembled and streamed, with time and peak heap. No model is called.
# Results in bench/results/query-<time>.{md,json}.
# Options: --tokens=10000000 --small-scope-tokens=1000000 --stuff-window=16000000 --model=all-minilm-l6-v2-q
#          --warmup=30 --runs=3 --scratch=DIR (scratch archive; default the system temp folder)
#          --cache=DIR (keep the chunk vectors there: a rerun skips the model)
#          --keep (leave the scratch archive in place; its folder is printed as "kept archive: DIR")
#          --archive=DIR --stuff-only (only the stuffing, over an archive kept earlier; nothing built or embedded)
#          --capped-heap[=CAPS] then run the stuffing again in a JVM per cap and collector (--capped-gc=G1,Serial)
#            whose whole heap is capped (-Xmx), over the archive the main run kept (deleted afterwards unless --keep)
#            or over --archive=DIR (then no main run). CAPS: -Xmx sizes, comma-separated; "3x" is the main run's heap
#            baseline plus 3 times the largest stuffed text, rounded up to MiB (166m for the 46.7 MB of the
#            11.1M-token scope). Default: 3x,128m,64m,48m,44m,40m,36m. Each capped run writes
#            bench/results/query-stuff-<time>.{md,json}; their reports go together into
#            bench/results/query-capped-<time>.md.
# About 2 minutes on 2 cores with the cache warm; a first run also embeds 3,959 distinct chunk texts (20 s or more).
# RAG_BENCH_PREBUILT=1 skips the build and runs bench/target/classes against the artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
caps= gcs="G1 Serial" archive= keep=0 results=bench/results args=()
for a in "$@"; do
  case "$a" in
    --capped-heap) caps=3x,128m,64m,48m,44m,40m,36m ;;
    --capped-heap=*) caps=${a#*=} ;;
    --capped-gc=*) gcs=${a#*=}; gcs=${gcs//,/ } ;;
    *) args+=("$a"); case "$a" in --archive=*) archive=${a#*=} ;; --keep) keep=1 ;; --results=*) results=${a#*=} ;; esac ;;
  esac
done
. scripts/lib/toolchain.sh
ensure_java_and_maven
. scripts/lib/bench.sh
bench_build eval,bench
cp=$(bench_classpath)
run() {
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" "$@"
}
if [ -z "$caps" ]; then
  exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
    rag.bench.QueryBenchmark --commit="$(bench_commit)" "$@"
fi

three=
if [ -z "$archive" ]; then
  log=$(mktemp)
  # stderr to the terminal and to the log, which names the kept archive and the JSON result
  { run -Xmx6g rag.bench.QueryBenchmark --commit="$(bench_commit)" --keep "${args[@]}" 2>&1 1>&3 \
      | tee "$log" >&2; } 3>&1
  archive=$(sed -n 's/^kept archive: //p' "$log")
  json=$(sed -n 's/^wrote \(.*\)\.md$/\1.json/p' "$log")
  rm -f "$log"
  [ "$keep" = 1 ] || trap 'rm -rf "$archive"' EXIT
  three=$(jq '[.stuffing[] | .baselineHeapBytes + 3 * .stuffedUtf8Bytes] | max / 1048576 | ceil' "$json")m
  args+=(--archive="$archive")
fi
mkdir -p "$results"
summary=$results/query-capped-$(date +%Y-%m-%dT%H-%M-%S).md
echo "Stuffing under a capped heap, commit $(bench_commit), over $archive (\"3x\" = ${three:-not computed})." \
  > "$summary"
for gc in $gcs; do
  for cap in ${caps//,/ }; do
    if [ "$cap" = 3x ]; then
      [ -n "$three" ] || { echo "the 3x cap needs the main run (not --archive=DIR)" >&2; exit 2; }
      cap=$three
    fi
    printf '\n## -Xmx%s -XX:+Use%sGC\n\n%s\n\n' "$cap" "$gc" "$(uptime)" | tee -a "$summary"
    err=$(mktemp)
    if ! run -Xmx"$cap" -XX:+Use"$gc"GC rag.bench.QueryBenchmark --commit="$(bench_commit)" --stuff-only \
        "${args[@]}" 2>"$err" | tee -a "$summary"; then
      # failed before any stuffing (e.g. out of memory at startup): the exception and where it happened
      grep -m1 -A3 '^Exception' "$err" | sed 's/^/    /' | tee -a "$summary"
    fi
    cat "$err" >&2
    rm -f "$err"
  done
done
echo "wrote $summary" >&2
