#!/usr/bin/env bash
# Ingest throughput of the cluster backend with 1 and with 2 ingest worker processes (issue 13), on this machine:
# for each count and repetition, scripts/cluster.sh starts a three-node OpenSearch cluster, a fresh database, one
# api-only instance and the ingest-only workers (packaged jar, in-process embedder); the corpus is uploaded in one
# request and the clock runs until the job is finished (every file parsed, indexed and embedded). CPU seconds of each
# process (api, workers, OpenSearch, all PostgreSQL backends) come from /proc. Writes bench/results/cluster-ingest-*.md.
#
#   scripts/bench-cluster-ingest.sh [--corpus DIR] [--runs 3]      (default corpus: ../shared/corpora/pg-essays)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpora/pg-essays runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: scripts/bench-cluster-ingest.sh [--corpus DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
mapfile -t files < <(find "$corpus" -type f ! -name SOURCE.md ! -name '.*' | sort)
bytes=$(cat "${files[@]}" | wc -c)
hz=$(getconf CLK_TCK)
cpu() { # CPU seconds used so far by the given pids
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "scale=2; $total / $hz" | bc
}
postgres_pids() { pgrep -x postgres | tr '\n' ' '; }

mkdir -p bench/results
out=bench/results/cluster-ingest-$(date -u +%Y-%m-%dT%H-%M-%S).md
{
  echo "# Cluster backend: ingest with 1 and 2 worker processes"
  echo
  echo "Corpus: $corpus (${#files[@]} files, $bytes bytes), uploaded in one request to one api-only instance;"
  echo "$(nproc) cores; $(date -u +%Y-%m-%dT%H:%M:%SZ); command: scripts/bench-cluster-ingest.sh --corpus $corpus --runs $runs"
  echo
  echo "| workers | run | seconds to done | files/s | chunks | chunks/s | CPU s api | CPU s workers | CPU s OpenSearch | CPU s PostgreSQL |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$out"

for workers in 1 2; do
  for run in $(seq 1 "$runs"); do
    dir=$(mktemp -d /tmp/rag-bench-cluster.XXXXXX)
    bash scripts/cluster.sh up --instances 1 --workers "$workers" --dir "$dir" >/dev/null
    set -a; . "$dir/cluster.env"; set +a
    api_pid=${RAG_PIDS%%,*}
    worker_pids=${RAG_WORKER_PIDS//,/ }
    # shellcheck disable=SC2086
    before=("$(cpu $api_pid)" "$(cpu $worker_pids)" "$(cpu $OPENSEARCH_PID)" "$(cpu $(postgres_pids))")
    args=()
    for f in "${files[@]}"; do args+=(-F "file=@$f"); done
    start=$(date +%s.%N)
    job=$(curl -fsS "${args[@]}" "$RAG_URLS/api/collections/bench/documents" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')
    while true; do
      state=$(curl -fsS "$RAG_URLS/api/jobs/$job")
      case $(echo "$state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])') in
        queued|running) sleep 0.2 ;;
        *) break ;;
      esac
    done
    end=$(date +%s.%N)
    # shellcheck disable=SC2086
    after=("$(cpu $api_pid)" "$(cpu $worker_pids)" "$(cpu $OPENSEARCH_PID)" "$(cpu $(postgres_pids))")
    chunks=$(echo "$state" | python3 -c 'import json,sys; print(sum(f.get("chunks") or 0 for f in json.load(sys.stdin)["files"]))')
    seconds=$(echo "scale=2; ($end - $start) / 1" | bc)
    echo "| $workers | $run | $seconds | $(echo "scale=2; ${#files[@]} / $seconds" | bc) | $chunks |" \
      "$(echo "scale=1; $chunks / $seconds" | bc) | $(echo "${after[0]} - ${before[0]}" | bc) |" \
      "$(echo "${after[1]} - ${before[1]}" | bc) | $(echo "${after[2]} - ${before[2]}" | bc) |" \
      "$(echo "${after[3]} - ${before[3]}" | bc) |" >> "$out"
    echo "[bench] $workers workers, run $run: $seconds s, $chunks chunks" >&2
    bash scripts/cluster.sh down --dir "$dir" >/dev/null
    rm -rf "$dir"
  done
done
cat "$out"
