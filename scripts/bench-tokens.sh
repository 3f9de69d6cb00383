#!/usr/bin/env bash
# Exact token counts (issue 15): a 10M-token collection (the essays and books of ../shared/corpora as distinct copies,
# BM25 only) in a scratch embedded archive; the first count of every version in Qwen 3's tokenizer; stuff-mode plans
# over the whole collection, exact against estimated (same run); a 1M-token stuffed prompt's exact count checked
# against Qwen 3's count of the rendered prompt. Results in bench/results/tokens-<time>.md.
# Options: --tokens=10000000 --check-tokens=1000000 --runs=9 --corpora=DIR (default ../shared/corpora) --commit=SHA
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
mvn -B -q -ntp -DskipTests install -pl storage,ingest,query,eval,bench -am
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
exec java -Xmx6g -cp "$run/classes$cp" rag.bench.TokenCountBenchmark "$@"
