#!/usr/bin/env bash
# Ingestion benchmark: the PDFs, transcripts and essays of ../shared/corpora and a real code base (the sources jar
# of commons-lang3, fetched through Maven) through the service's ingest pipeline, the raw embedder, and LangChain4j
# Easy RAG, all in one run; MB/s and chunks/s per format, peak heap, a 10 MB upload's time to searchable.
# Options: --formats=pdf,transcript,essay,code[,book] --repeat=N --skip-easyrag --model=bge|minilm --quick
#          --sample=N (texts for the one-thread and LangChain4j-default embedder runs) --corpora=DIR
#          --only=embedders (only the embedder comparison, on the same chunk texts made by parser and chunkers)
# The full run takes 30 to 45 minutes on 2 cores; --quick (3 small files per format) about 2 minutes.
# RAG_BENCH_PREBUILT=1 skips the build and runs bench/target/classes against the artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
code_artifact=org.apache.commons:commons-lang3:3.18.0:jar:sources
if [ "${RAG_BENCH_PREBUILT:-0}" = 1 ]; then
  mvn -B -q -o -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
else
  # package storage, ingest and bench in the reactor (no install); each module writes its target/classpath.txt
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -pl ingest,bench -am \
    -Dmdep.outputFile=target/classpath.txt
fi
code_dir=bench/target/code
if [ ! -d "$code_dir/src" ]; then
  mvn -B -q -ntp -N dependency:copy -Dartifact="$code_artifact" -DoutputDirectory="$code_dir"
  mkdir -p "$code_dir/src"
  (cd "$code_dir/src" && jar xf ../commons-lang3-3.18.0-sources.jar)
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
exec java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$run/classes$cp" rag.bench.IngestBenchmark --code="$code_dir/src" \
  --code-name="commons-lang3 3.18.0 sources jar ($code_artifact), the .java files" \
  --commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$@"
