#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first: a JDK and Maven, PostgreSQL with
# the pgvector extension (built from source where Debian has no package), and Debian's
# docker-compose to validate docker-compose.yml. Each test class works in a fresh database of its
# own on 127.0.0.1:5432 and drops it afterwards. Tesseract is installed too, so OCR is tested, and Chromium with its
# chromedriver, so the web page is tested in a real browser (screenshots in app/target/screenshots).
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
export RAG_REQUIRE_DOCKER_COMPOSE=true RAG_REQUIRE_BROWSER=true
exec mvn -B -ntp install "$@"
