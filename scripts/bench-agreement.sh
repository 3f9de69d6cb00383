#!/usr/bin/env bash
# Backend agreement (issue 13): the whole of SciFact (5,183 abstracts, 1,109 claims) through the embedded backend
# (SQLite + Lucene) and the cluster backend (PostgreSQL + a three-node OpenSearch cluster): how many BM25 top-10 lists
# agree (same documents, same order, score differences), nDCG@10 of each, and for vectors the overlap of the two top-10
# lists and each one's recall@10 against exact search. Writes bench/results/agreement-<time>.md.
# Options: --corpora=DIR (default ../shared/corpora) --pg-url=... --pg-user=...
# The first run embeds the abstracts (a few minutes on 2 cores) and caches the vectors in bench/target.
# Without OPENSEARCH_URLS, a three-node cluster is started (scripts/opensearch.sh) and stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
bash scripts/install-pgvector.sh
. scripts/lib/bench.sh
bench_build storage,eval,bench
cp=$(bench_classpath)
bench_opensearch bench/target/opensearch-agreement 19651
java -Xmx6g -cp "$cp" rag.bench.BackendAgreement "$@"
