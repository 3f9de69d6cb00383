#!/usr/bin/env bash
# Runs the service with the embedded default (no server to install): data under ./data,
# HTTP on port 8080. Builds it first when the runnable jar is missing or older than the sources.
# Arguments starting with -D or -X go to the JVM (scripts/run.sh -Dquarkus.http.port=9090); the others
# to the application (scripts/run.sh ingest <collection> <folder>).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/toolchain.sh
ensure_java_and_maven

ensure_service_jar
jar=app/target/quarkus-app/quarkus-run.jar
jvm=()
app=()
for arg in "$@"; do
  case "$arg" in -D*|-X*) jvm+=("$arg") ;; *) app+=("$arg") ;; esac
done
exec java ${RAG_JAVA_OPTS:--Xmx4g} "${jvm[@]}" -jar "$jar" "${app[@]}"
