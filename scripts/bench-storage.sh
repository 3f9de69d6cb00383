#!/usr/bin/env bash
# Storage benchmark: 100,000 chunks of real text with real 384-dimension vectors into each backend
# (Lucene HNSW embedded, PostgreSQL + pgvector, PostgreSQL + a three-node OpenSearch cluster); write rate, BM25 and
# kNN latency, recall@10, BM25 rebuild time (the cluster: rebuild-search), the cluster's writes with 1 and 2 writers.
# Options: --chunks=N --queries=N --backends=embedded,postgres,cluster --corpora=DIR (default ../shared/corpora)
# The first run embeds the chunks (about 10 minutes on 2 cores) and caches the vectors in bench/target.
# With the cluster backend and no OPENSEARCH_URLS, a three-node cluster is started (scripts/opensearch.sh) and stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
bash scripts/install-pgvector.sh
. scripts/lib/bench.sh
bench_build storage,bench
cp=$(bench_classpath)
if [[ " $* " != *" --backends="* || " $* " == *"cluster"* ]]; then
  bench_opensearch bench/target/opensearch 19601
fi
java -Xmx8g -cp "$cp" rag.bench.StorageBenchmark "$@"
