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
. scripts/lib/bench.sh
code_artifact=org.apache.commons:commons-lang3:3.18.0:jar:sources
bench_build ingest,bench
code_dir=bench/target/code
if [ ! -d "$code_dir/src" ]; then
  mvn -B -q -ntp -N dependency:copy -Dartifact="$code_artifact" -DoutputDirectory="$code_dir"
  mkdir -p "$code_dir/src"
  (cd "$code_dir/src" && jar xf ../commons-lang3-3.18.0-sources.jar)
fi
cp=$(bench_classpath)
exec java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" rag.bench.IngestBenchmark --code="$code_dir/src" \
  --code-name="commons-lang3 3.18.0 sources jar ($code_artifact), the .java files" \
  --commit="$(bench_commit)" "$@"
