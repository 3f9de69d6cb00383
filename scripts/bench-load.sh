#!/usr/bin/env bash
# Under load (issue 16): the packaged service (java -jar app/target/quarkus-app/quarkus-run.jar, a child process on a
# free loopback port, fresh data directory, open: no API key) with a scripted model server in the driver; a corpus
# ingested first, then a closed loop of 1, 10, 50 and 200 virtual clients over a mix of queries (extractive and
# generated), stuffed plans, searches, document listings and chats, with a bulk upload in the background; per level
# and operation: throughput, p50/p95/p99, shed (503/429 with Retry-After) and errors. --soak=MINUTES adds a soak at 50
# clients sampling heap after GC, threads, file descriptors, catalog connections, Lucene searchers and mapped Lucene
# files.
# Options: --levels=1,10,50,200 --seconds=60 --warmup=10 --soak=0 --sample-seconds=60 --mix=... --corpora=DIR
# (../shared/corpora) and more (see LoadBenchmark). About 6 minutes with the defaults and no soak, on 2 cores.
# RAG_BENCH_PREBUILT=1 skips the build (the jar and bench/target/classes must be there).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
. scripts/lib/bench.sh
bench_build app,bench
cp=$(bench_classpath)
# the service runs from a private copy of its jar's folder too, so that a rebuild during a long run cannot break it
run=$(dirname "${cp%%:*}")
cp -r app/target/quarkus-app "$run/quarkus-app"
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" rag.bench.LoadBenchmark \
  --corpora="${RAG_CORPORA:-../shared/corpora}" --jar="$run/quarkus-app/quarkus-run.jar" --commit="$(bench_commit)" "$@"
