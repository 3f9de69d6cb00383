#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first: a JDK and Maven, PostgreSQL with
# the pgvector extension (built from source where Debian has no package), and Debian's
# docker-compose to validate docker-compose.yml. Each test class works in a fresh database of its
# own on 127.0.0.1:5432 and drops it afterwards. Tesseract is installed too, so OCR is tested.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl storage
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven
bash scripts/install-pgvector.sh
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "[test] installing Debian's docker-compose (validates docker-compose.yml without an engine)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null \
    || { echo "[test] ERROR: could not install docker-compose" >&2; exit 1; }
fi
if ! command -v tesseract >/dev/null 2>&1; then
  echo "[test] installing Debian's tesseract-ocr (OCR of image-only PDFs is tested)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tesseract-ocr >/dev/null \
    || { echo "[test] ERROR: could not install tesseract-ocr" >&2; exit 1; }
fi
export RAG_REQUIRE_DOCKER_COMPOSE=true
exec mvn -B -ntp install "$@"
