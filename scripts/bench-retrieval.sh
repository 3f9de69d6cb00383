#!/usr/bin/env bash
# Retrieval benchmark: a BEIR dataset (default ../shared/corpora/scifact, test split) through the service's BM25,
# dense (bge-small-en-v1.5 quantized) and hybrid retrieval, with LangChain4j Easy RAG (its defaults) as a baseline row
# in the same run; nDCG@10, recall@10/100, MRR@10, index time and query latency, checked against the published
# targets. Results in bench/results/retrieval-<dataset>-<time>.{md,html,json}.
# Options: --dataset=DIR --split=test --retrievers=bm25,dense,hybrid,easy-rag --model=bge-small-en-v1.5-q
#          --chunk-tokens=400 --overlap-tokens=50 --scratch=DIR (scratch archives; default the system temp folder)
#          --cache=DIR (keep our vectors there: a rerun skips the model; Easy RAG always embeds)
# About 30 to 60 minutes on 2 cores (embedding SciFact twice: ours, then Easy RAG's).
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
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$run/classes$cp" \
  rag.bench.RetrievalBenchmark --commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$@"
