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
# About 2 minutes on 2 cores with the cache warm; a first run also embeds 3,959 distinct chunk texts (20 s or more).
# RAG_BENCH_PREBUILT=1 skips the build and runs bench/target/classes against the artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
. scripts/lib/bench.sh
bench_build eval,bench
cp=$(bench_classpath)
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
  rag.bench.QueryBenchmark --commit="$(bench_commit)" "$@"
