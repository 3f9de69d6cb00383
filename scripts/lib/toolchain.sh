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
