#!/usr/bin/env bash
# Makes sure a PostgreSQL server is running on 127.0.0.1:5432 and has the pgvector extension.
# Idempotent: when PostgreSQL runs and pgvector is installed it returns within a second.
# pgvector is not packaged in Debian 12, so it is built from Debian 13's source package against
# the local server's headers. Fails loudly, with the reason, when it cannot.
set -euo pipefail

log() { echo "[pgvector] $*" >&2; }
die() { echo "[pgvector] ERROR: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq || die "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# 1. A PostgreSQL server, installed and started.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "PostgreSQL is not installed; installing Debian's postgresql package"
  apt_install postgresql
fi
PG_MAJOR=$(ls /usr/lib/postgresql | sort -n | tail -1)
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "starting PostgreSQL $PG_MAJOR"
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    as_root pg_createcluster "$PG_MAJOR" main >/dev/null || die "could not create a PostgreSQL cluster"
  fi
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  as_root pg_ctlcluster --skip-systemctl-redirect $cluster start || die "could not start PostgreSQL cluster $cluster"
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL does not answer on 127.0.0.1:5432"
fi

# 2. pgvector, when missing.
if [ -f "/usr/share/postgresql/$PG_MAJOR/extension/vector.control" ] \
   && [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/vector.so" ]; then
  exit 0
fi

log "pgvector is missing for PostgreSQL $PG_MAJOR; building it from Debian 13's source package"
command -v make >/dev/null && command -v gcc >/dev/null || apt_install build-essential
[ -x "$PG_CONFIG" ] && [ -d "/usr/include/postgresql/$PG_MAJOR/server" ] || apt_install "postgresql-server-dev-$PG_MAJOR"
command -v dpkg-source >/dev/null || apt_install dpkg-dev
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || apt_install debian-archive-keyring

work=$(mktemp -d /tmp/pgvector-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources" "$work/lists/partial"
cat > "$work/sources/trixie-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/sources"
          -o "Dir::State::Lists=$work/lists" -o Debug::NoLocking=1)
apt-get "${apt_opts[@]}" update -qq || die "could not read Debian 13 (trixie) source lists"
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null 2>&1) \
  || die "could not download Debian 13's pgvector source package"
(cd "$work" && dpkg-source -x --no-check pgvector_*.dsc src >/dev/null) || die "could not unpack the pgvector source"
make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >/dev/null 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; die "pgvector build failed"; }
as_root make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install >/dev/null || die "pgvector install failed"
[ -f "/usr/lib/postgresql/$PG_MAJOR/lib/vector.so" ] || die "pgvector did not install vector.so"
log "pgvector $(grep default_version "/usr/share/postgresql/$PG_MAJOR/extension/vector.control" | cut -d"'" -f2) installed"
