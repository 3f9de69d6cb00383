#!/usr/bin/env bash
# Retrieval benchmark: a BEIR dataset (default ../shared/corpora/scifact, test split) through the service's BM25,
# dense (bge-small-en-v1.5 quantized) and hybrid retrieval, with LangChain4j Easy RAG (its defaults) as a baseline row
# in the same run; nDCG@10, recall@10/100, MRR@10, index time and query latency, checked against the published
# targets. Results in bench/results/retrieval-<dataset>-<time>.{md,html,json}.
# Options: --dataset=DIR --split=test --retrievers=bm25,dense,hybrid,easy-rag --model=bge-small-en-v1.5-q
#          --chunk-tokens=400 --overlap-tokens=50 --scratch=DIR (scratch archives; default the system temp folder)
#          --cache=DIR (keep our vectors there: a rerun skips the model; Easy RAG always embeds)
#          --title-weight=0.5 (BM25 weight of chunk headers, rag.index.title-weight)
#          --embed-context=false (chunk headers in what is embedded, rag.index.embed-context)
#          --fusion=score|rrf --bm25-weight=1 --dense-weight=1 (hybrid's fusion, rag.planner.fusion and weights)
# About 30 to 60 minutes on 2 cores (embedding SciFact twice: ours, then Easy RAG's).
# RAG_BENCH_PREBUILT=1 skips the build and runs bench/target/classes against the artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
. scripts/lib/bench.sh
bench_build eval,bench
cp=$(bench_classpath)
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
  rag.bench.RetrievalBenchmark --commit="$(bench_commit)" "$@"
