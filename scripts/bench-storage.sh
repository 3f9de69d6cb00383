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
mvn -B -q -ntp -DskipTests install -pl storage,bench -am
mvn -B -q -ntp -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
# run from a private copy of the project's jars, so that a rebuild during the run cannot break it
run=$(mktemp -d bench/target/run.XXXXXX)
cp -r bench/target/classes "$run/classes"
cp=""
for entry in $(tr ':' ' ' < bench/target/classpath.txt); do
  case "$entry" in
    */dev/ragarchive/*) cp "$entry" "$run/"; entry="$run/$(basename "$entry")" ;;
  esac
  cp="$cp:$entry"
done
exec java -Xmx8g -cp "$run/classes$cp" rag.bench.StorageBenchmark "$@"
