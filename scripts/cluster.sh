#!/usr/bin/env bash
# Several service instances on one archive, on this machine: a three-node OpenSearch cluster in its own JVM
# (scripts/opensearch.sh), a fresh PostgreSQL database on 127.0.0.1:5432, and N instances of the packaged service
# with rag.storage.backend=cluster on free loopback ports (issue 13).
#
#   scripts/cluster.sh up [--instances 2] [--workers 0] [--dir DIR] [--nodes 3]
#       writes DIR/cluster.env: RAG_URLS (comma-separated base URLs), RAG_PIDS, OPENSEARCH_URL, OPENSEARCH_URLS,
#       OPENSEARCH_PID, JDBC_URL, PG_DATABASE. Instance i keeps its data directory and log under DIR/instance-i.
#       With --workers M, the instances get the api role only and M more (DIR/worker-j, RAG_WORKER_PIDS) the ingest
#       role only: they claim the accepted files from PostgreSQL (rag.node.roles).
#   scripts/cluster.sh down --dir DIR
#       stops everything it started, by process id (instances first, SIGTERM then SIGKILL after 30 s), then the
#       OpenSearch cluster, and drops the database.
#
# Instances get RAG_JAVA_OPTS (default -Xmx1g) and any -D option given after the others (e.g. -Drag.security...).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh

usage() {
  echo "usage: scripts/cluster.sh up [--instances N] [--workers M] [--dir DIR] [--nodes N] [-Dprop=value...]" \
    "| down --dir DIR" >&2
  exit 2
}
log() { echo "[cluster] $*" >&2; }

command=${1:-}
[ -n "$command" ] || usage
shift
dir=cluster-run instances=2 workers=0 nodes=3 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --dir=*) dir=${1#*=}; shift ;;
    --instances) instances=$2; shift 2 ;;
    --instances=*) instances=${1#*=}; shift ;;
    --workers) workers=$2; shift 2 ;;
    --workers=*) workers=${1#*=}; shift ;;
    --nodes) nodes=$2; shift 2 ;;
    --nodes=*) nodes=${1#*=}; shift ;;
    -D*) extra+=("$1"); shift ;;
    *) usage ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
psql_admin() { psql -X -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

# first_free_port START STEP COUNT: the first of START, START+STEP, ... with COUNT consecutive free ports
first_free_port() {
  local port=$1 i ok
  while [ "$port" -lt 65000 ]; do
    ok=1
    for i in $(seq 0 $(($3 - 1))); do port_free $((port + i)) || { ok=0; break; }; done
    [ "$ok" -eq 1 ] && { echo "$port"; return 0; }
    port=$((port + $2))
  done
  return 1
}

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "pid $pid still running 30 s after SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

case "$command" in
  up)
    [ -f "$dir/cluster.env" ] && { log "already up (or not cleanly stopped): $dir/cluster.env; run down first"; exit 1; }
    [[ "$instances" =~ ^[1-9][0-9]?$ ]] || { log "--instances must be 1..99"; exit 2; }
    [[ "$workers" =~ ^[0-9][0-9]?$ ]] || { log "--workers must be 0..99"; exit 2; }
    ensure_java_and_maven
    bash scripts/install-pgvector.sh
    ensure_service_jar

    os_port=$(first_free_port 19201 10 3)
    # transport ports are HTTP + 100
    while ! port_free $((os_port + 100)) || ! port_free $((os_port + 101)) || ! port_free $((os_port + 102)); do
      os_port=$(first_free_port $((os_port + 10)) 10 3)
    done
    bash scripts/opensearch.sh up --dir "$dir/opensearch" --nodes "$nodes" --http-port "$os_port" >/dev/null
    set -a
    . "$dir/opensearch/opensearch.env"
    set +a

    database="rag_cluster_$(date +%s)_$$"
    psql_admin -c "CREATE DATABASE $database"
    jdbc="jdbc:postgresql://127.0.0.1:5432/$database"
    {
      echo "OPENSEARCH_URL=$OPENSEARCH_URL"
      echo "OPENSEARCH_URLS=$OPENSEARCH_URLS"
      echo "OPENSEARCH_PID=$OPENSEARCH_PID"
      echo "JDBC_URL=$jdbc"
      echo "PG_DATABASE=$database"
    } > "$dir/cluster.env"

    urls=() pids=() worker_pids=() port=18081
    roles=api,ingest
    [ "$workers" -gt 0 ] && roles=api
    # one at a time: an instance repairs the archive at start (see README, "Several instances")
    for i in $(seq 1 $((instances + workers))); do
      port=$(first_free_port "$port" 1 1)
      home="$dir/instance-$i"
      if [ "$i" -gt "$instances" ]; then
        roles=ingest home="$dir/worker-$((i - instances))"
      fi
      mkdir -p "$home"
      # shellcheck disable=SC2086
      (cd "$home" && exec java ${RAG_JAVA_OPTS:--Xmx1g} -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
        -Drag.data-dir="$home/data" -Drag.storage.backend=cluster -Drag.storage.jdbc-url="$jdbc" \
        -Drag.storage.username=postgres -Drag.opensearch.urls="$OPENSEARCH_URLS" -Drag.node.roles="$roles" \
        "${extra[@]}" -jar "$OLDPWD/app/target/quarkus-app/quarkus-run.jar" > "$home/service.log" 2>&1) &
      pid=$!
      pids+=("$pid")
      [ "$roles" = ingest ] && worker_pids+=("$pid")
      echo "RAG_PIDS=$(IFS=,; echo "${pids[*]}")" >> "$dir/cluster.env" # down reads the last line
      start=$(date +%s)
      until curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s) - start )) -gt 120 ]; then
          log "instance $i did not become ready on port $port; see $home/service.log (stop with: down --dir $dir)"
          exit 1
        fi
        sleep 0.5
      done
      [ "$roles" = ingest ] || urls+=("http://127.0.0.1:$port")
      log "$(basename "$home") ($roles) ready on http://127.0.0.1:$port (pid $pid) in $(( $(date +%s) - start )) s"
      port=$((port + 1))
    done
    echo "RAG_URLS=$(IFS=,; echo "${urls[*]}")" >> "$dir/cluster.env"
    echo "RAG_WORKER_PIDS=$(IFS=,; echo "${worker_pids[*]}")" >> "$dir/cluster.env"
    log "up: $instances instances and $workers ingest workers on $database and OpenSearch $OPENSEARCH_URLS; $dir/cluster.env"
    cat "$dir/cluster.env"
    ;;
  down)
    [ -f "$dir/cluster.env" ] || { log "nothing started in $dir"; exit 0; }
    pids=$(sed -n 's/^RAG_PIDS=//p' "$dir/cluster.env" | tail -1)
    for pid in ${pids//,/ }; do stop_pid "$pid"; done
    bash scripts/opensearch.sh down --dir "$dir/opensearch" || true
    database=$(sed -n 's/^PG_DATABASE=//p' "$dir/cluster.env")
    [ -n "$database" ] && psql_admin -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"
    rm -f "$dir/cluster.env"
    log "down: stopped ${pids:-no instances}, the OpenSearch cluster, and dropped $database"
    ;;
  *) usage ;;
esac
