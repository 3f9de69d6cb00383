#!/usr/bin/env bash
# NIAH benchmark, retrieve mode: 10 context lengths log-spaced from 1K to 10M tokens x 10 depths over a haystack
# folder (default ../shared/corpora/books), the service's chunking, BM25 and vectors in a scratch archive, the planner's
# retrieve mode for a 256K profile (retrieval budget 32,768 tokens); found, fused rank and time per length, the
# whole run against 30 minutes. Results in bench/results/niah-retrieve-<time>.{md,html,json}.
# Options: --haystack=DIR --min=1000 --max=10000000 --lengths=10 --depths=10 --model=bge-small-en-v1.5-q
#          --document-tokens=4096 --window=262144 --reserve=8192 --budget=32768 --scratch=DIR (default: /dev/shm
#          when it exists, else the system temp folder)
# RAG_BENCH_PREBUILT=1 skips the build and runs bench/target/classes against the artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
if [ "${RAG_BENCH_PREBUILT:-0}" = 1 ]; then
  mvn -B -q -o -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
else
  # package the modules in the reactor (no install); each module writes its target/classpath.txt
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -pl eval,bench -am \
    -Dmdep.outputFile=target/classpath.txt
fi
# run from a private copy of the project's jars, so that a rebuild during the run cannot break it
run=$(mktemp -d bench/target/run.XXXXXX)
cp -r bench/target/classes "$run/classes"
cp=""
for entry in $(tr ':' ' ' < bench/target/classpath.txt); do
  case "$entry" in
    "$PWD"/*|*/dev/ragarchive/*) cp "$entry" "$run/"; entry="$run/$(basename "$entry")" ;;
  esac
  cp="$cp:$entry"
done
scratch=()
if [ -d /dev/shm ] && [[ " $* " != *" --scratch="* ]]; then scratch=(--scratch=/dev/shm); fi
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$run/classes$cp" \
  rag.bench.NiahBenchmark --commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "${scratch[@]}" "$@"
