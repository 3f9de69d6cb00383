#!/usr/bin/env bash
# Time to first search (issue 16): 1,000 small text files (1-10 KB) to searchable in MB/s, and a 10 MB text upload
# to searchable, through the service's ingest pipeline with its defaults; medians over repetitions.
# Options: --files=N (1000) --repeat=N (3) --upload-mb=N (10) --corpora=DIR (../shared/corpora)
# --warm-up-files=N (0: more small files, cut from the books, ingested first so that the JIT is warm)
# About 2 minutes per repetition on 2 cores. RAG_BENCH_PREBUILT=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
. scripts/lib/bench.sh
bench_build ingest,bench
cp=$(bench_classpath)
exec java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" rag.bench.SearchableBenchmark \
  --corpora="${RAG_CORPORA:-../shared/corpora}" --commit="$(bench_commit)" "$@"
