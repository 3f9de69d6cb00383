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
. scripts/lib/bench.sh
bench_build storage,ingest,query,eval,bench
cp=$(bench_classpath)
exec java -Xmx6g -cp "$cp" rag.bench.TokenCountBenchmark "$@"
