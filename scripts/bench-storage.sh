#!/usr/bin/env bash
# Storage benchmark: 100,000 chunks of real text with real 384-dimension vectors into each backend
# (Lucene HNSW embedded, PostgreSQL + pgvector); write rate, BM25 and kNN latency, recall@10.
# Options: --chunks=N --queries=N --backends=embedded,postgres --corpora=DIR (default ../shared/corpora)
# The first run embeds the chunks (about 10 minutes on 2 cores) and caches the vectors in bench/target.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
bash scripts/install-pgvector.sh
. scripts/lib/bench.sh
bench_build storage,bench
cp=$(bench_classpath)
exec java -Xmx8g -cp "$cp" rag.bench.StorageBenchmark "$@"
