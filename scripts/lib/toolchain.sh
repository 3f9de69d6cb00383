# Shared by the scripts: makes sure a JDK 17 and Maven are installed (Debian packages).
ensure_java_and_maven() {
  local missing=()
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[setup] installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "[setup] ERROR: could not install ${missing[*]}" >&2; exit 1; }
  fi
  local version
  version=$(javac -version 2>&1 | awk '{print $2}' | cut -d. -f1)
  if [ "${version:-0}" -lt 17 ]; then
    echo "[setup] ERROR: javac $version found; Java 17 or newer is needed (set JAVA_HOME)" >&2
    exit 1
  fi
}

# ensure_service_jar: builds the runnable jar when it is missing or older than the sources
ensure_service_jar() {
  local jar=app/target/quarkus-app/quarkus-run.jar
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml */pom.xml */src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "[run] building the service (mvn install, tests skipped)..." >&2
    mvn -B -q -DskipTests install
  fi
}

# port_free PORT: true when nothing listens on 127.0.0.1:PORT
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
