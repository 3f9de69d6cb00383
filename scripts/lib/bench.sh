# Shared by the scripts/bench-*.sh commands (sourced from the project root, after toolchain.sh).

# Builds the bench module and the modules it needs (given with -pl syntax), without installing, and writes
# bench/target/classpath.txt. RAG_BENCH_PREBUILT=1 skips the build and uses bench/target/classes against the
# artifacts in ~/.m2.
bench_build() {
  if [ "${RAG_BENCH_PREBUILT:-0}" = 1 ]; then
    mvn -B -q -o -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
  else
    # package the modules in the reactor (no install); each module writes its target/classpath.txt
    mvn -B -q -ntp -DskipTests package dependency:build-classpath -pl "$1" -am -Dmdep.outputFile=target/classpath.txt
  fi
}

# Prints a class path that runs from a private copy of the project's jars, so that a rebuild during a long run
# cannot break it.
bench_classpath() {
  local run cp entry
  run=$(mktemp -d bench/target/run.XXXXXX)
  cp -r bench/target/classes "$run/classes"
  cp="$run/classes"
  for entry in $(tr ':' ' ' < bench/target/classpath.txt); do
    case "$entry" in
      "$PWD"/*|*/dev/ragarchive/*) cp "$entry" "$run/"; entry="$run/$(basename "$entry")" ;;
    esac
    cp="$cp:$entry"
  done
  echo "$cp"
}

bench_commit() {
  git rev-parse --short HEAD 2>/dev/null || echo unknown
}

# bench_opensearch DIR PORT: unless OPENSEARCH_URLS is set, starts a three-node OpenSearch cluster under DIR
# (scripts/opensearch.sh) on the first free HTTP ports from PORT (stepping by 10), exports its OPENSEARCH_* variables
# and stops it when the script exits.
bench_opensearch() {
  [ -z "${OPENSEARCH_URLS:-}" ] || return 0
  local dir=$1 port=$2
  rm -rf "$dir"
  trap "bash scripts/opensearch.sh down --dir '$dir' >/dev/null 2>&1 || true" EXIT
  while ! port_free "$port" || ! port_free $((port + 1)) || ! port_free $((port + 2)) \
      || ! port_free $((port + 100)) || ! port_free $((port + 101)) || ! port_free $((port + 102)); do
    port=$((port + 10))
  done
  bash scripts/opensearch.sh up --dir "$dir" --nodes 3 --http-port "$port" >/dev/null
  set -a
  . "$dir/opensearch.env"
  set +a
}
