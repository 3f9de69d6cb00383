#!/usr/bin/env bash
# Retrieval accuracy over a real archive (issue 14): the text PDFs, the English transcripts and the two books of
# ../shared/corpora with the code fixtures of the ingest tests, ingested into a scratch data directory with the
# service's own command (default embedding model), then bench/qa/shared-corpora.jsonl (questions with page, time,
# line or text expectations) asked of bm25, dense and hybrid through the service's search (scripts/run.sh eval-qa),
# and whether the qwen3 profile's planner packs each expected passage into the prompt at 2K, 8K and 32K tokens.
# Prints the metrics; the run's result.json and report.html stay under the scratch directory (printed).
# Options: --corpora=DIR (default ../shared/corpora) --keep (keep the scratch directory) -D... (to the service JVM)
#   --also="-Drag.planner.dense-weight=2 ..." (repeatable): after the run with the defaults, the same questions again on
#   the same archive with those settings (levers that act at query time), each with its table

set -euo pipefail
cd "$(dirname "$0")/.."
corpora=../shared/corpora
keep=0
jvm=()
also=()
for arg in "$@"; do
  case "$arg" in
    --corpora=*) corpora="${arg#--corpora=}" ;;
    --keep) keep=1 ;;
    --also=*) also+=("${arg#--also=}") ;;
    -D*|-X*) jvm+=("$arg") ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
scratch=$(mktemp -d /tmp/rag-bench-qa.XXXXXX)
[ "$keep" = 1 ] || trap 'rm -rf "$scratch"' EXIT
archive="$scratch/archive"
mkdir -p "$archive/pdfs" "$archive/transcripts" "$archive/books" "$archive/code"
for f in arxiv-1601.03642-creativity-in-ml-2col manual-menhir-reference-20231231 \
    slides-europython-2025-five-types-of-database us-ca-warn-report-2015-2016-table \
    us-cupertino-usd-board-agenda-2016-04-06 us-fbi-nics-background-checks-2015-11-table \
    us-federal-register-2020-17221-3col us-scotus-transcript-p1 fr-chelsea-plan-transport-actif-2021-report \
    fr-comite-demolition-proces-verbal-2023-06-20; do
  cp "$corpora/pdfs/$f.pdf" "$archive/pdfs/"
done
cp "$corpora"/transcripts/3b1b--*-english-captions.srt "$corpora"/transcripts/jlm--*.en.vtt "$archive/transcripts/"
cp "$corpora"/books/*.txt "$archive/books/"
for f in Inventory.java app.js cart.ts list.c matrix.cpp server.go shapes.py; do
  cp "ingest/src/test/resources/fixtures/$f" "$archive/code/"
done
start=$(date +%s)
scripts/run.sh -Drag.data-dir="$scratch/data" "${jvm[@]}" ingest qa-bench "$archive" > "$scratch/ingest.log" 2>&1 \
  || { tail -20 "$scratch/ingest.log"; exit 1; }
echo "[bench-qa] ingested $(find "$archive" -type f | wc -l) files in $(( $(date +%s) - start )) s"
evaluate() { # $1: a label, then JVM options
  local label="$1"; shift
  echo "[bench-qa] $label"
  scripts/run.sh -Drag.data-dir="$scratch/data" "${jvm[@]}" "$@" eval-qa --collection qa-bench \
    --questions bench/qa/shared-corpora.jsonl --retrievers bm25,dense,hybrid --profile qwen3 \
    --budgets 2048,8192,32768 > "$scratch/eval.log" 2>&1 \
    || { tail -20 "$scratch/eval.log"; exit 1; }
  grep -o 'report: .*' "$scratch/eval.log"
  python3 - "$(grep -o 'result: .*' "$scratch/eval.log" | cut -d' ' -f2)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("| retriever | hits@1 | hits@5 | hits@10 | MRR@10 | nDCG@10 |")
print("|---|---|---|---|---|---|")
for name, m in r["metrics"].items():
    print(f"| {name} | {m['hits@1']:.3f} | {m['hits@5']:.3f} | {m['hits@10']:.3f} | {m['mrr@10']:.3f} | {m['ndcg@10']:.3f} |")
kinds = {}
for q in r["questions"]:
    for o in q["outcomes"]:
        hit = o["hitRank"] is not None and o["hitRank"] <= 5
        kinds.setdefault(q["id"].split("-")[0], {}).setdefault(o["retriever"], []).append(hit)
for b in r.get("packing") or []:
    print(f"packed prompt at {b['budget']} tokens (qwen3 planner): recall {b['recall']:.3f}, {b['meanPromptTokens']:.0f}"
          f" prompt tokens on average; missed: {', '.join(b['missed']) or 'none'}")
print("hits@5 by kind: " + "; ".join(f"{k} " + ", ".join(f"{ret} {sum(v)}/{len(v)}" for ret, v in by.items())
                                    for k, by in kinds.items()))
PY
}
evaluate "defaults"
for options in "${also[@]}"; do
  # shellcheck disable=SC2086
  evaluate "with $options" $options
done
