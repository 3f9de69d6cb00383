#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first: a JDK and Maven, PostgreSQL with
# the pgvector extension (built from source where Debian has no package), and Debian's
# docker-compose to validate docker-compose.yml. Each test class works in a fresh database of its
# own on 127.0.0.1:5432 and drops it afterwards. Tesseract is installed too, so OCR is tested, and Chromium with its
# chromedriver, so the web page is tested in a real browser (screenshots in app/target/screenshots). A three-node
# OpenSearch cluster is started for the search-cluster tests (scripts/opensearch.sh, in its own JVM) and stopped at
# the end; with OPENSEARCH_URLS already set, the tests use that cluster instead.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl storage
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
bash scripts/install-pgvector.sh
# ensure_packages COMMAND WHY PACKAGE...: installs Debian's packages unless COMMAND is already there
ensure_packages() {
  local command=$1 why=$2 sudo=""
  shift 2
  command -v "$command" >/dev/null 2>&1 && return 0
  echo "[test] installing Debian's $* ($why)" >&2
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
    || { echo "[test] ERROR: could not install $*" >&2; exit 1; }
}
ensure_packages docker-compose "validates docker-compose.yml without an engine" docker-compose
ensure_packages tesseract "OCR of image-only PDFs is tested" tesseract-ocr
ensure_packages chromedriver "the web page is tested in headless Chromium" chromium chromium-driver
export RAG_REQUIRE_DOCKER_COMPOSE=true RAG_REQUIRE_BROWSER=true RAG_REQUIRE_OPENSEARCH=true

# free_port_base: the first of 19301, 19311, ... whose three HTTP ports and three transport ports are all free
free_port_base() {
  local base port busy
  for base in $(seq 19301 10 19391); do
    busy=0
    for port in $base $((base + 1)) $((base + 2)) $((base + 100)) $((base + 101)) $((base + 102)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy=1; break; fi
    done
    [ "$busy" -eq 0 ] && { echo "$base"; return 0; }
  done
  echo "[test] ERROR: no free ports for the OpenSearch test cluster in 19301-19493" >&2
  return 1
}
if [ -z "${OPENSEARCH_URLS:-}" ]; then
  opensearch_dir=$(mktemp -d /tmp/rag-test-opensearch.XXXXXX)
  trap 'bash scripts/opensearch.sh down --dir "$opensearch_dir" || true; rm -rf "$opensearch_dir"' EXIT
  opensearch_port=$(free_port_base)
  bash scripts/opensearch.sh up --dir "$opensearch_dir" --nodes 3 --http-port "$opensearch_port" >/dev/null
  set -a
  . "$opensearch_dir/opensearch.env"
  set +a
  export OPENSEARCH_DIR=$opensearch_dir
fi
mvn -B -ntp install "$@"
