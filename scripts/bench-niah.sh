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
. scripts/lib/bench.sh
bench_build eval,bench
cp=$(bench_classpath)
scratch=()
if [ -d /dev/shm ] && [[ " $* " != *" --scratch="* ]]; then scratch=(--scratch=/dev/shm); fi
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
  rag.bench.NiahBenchmark --commit="$(bench_commit)" "${scratch[@]}" "$@"
