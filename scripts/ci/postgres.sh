#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the platform tests (and local runs).
#
#   eval "$(scripts/ci/postgres.sh start)"   # starts it; exports TEST_DATABASE_URL and TAPSAFE_PG_DIR
#   npm test                                 # platform suites now also run on PostgreSQL
#   scripts/ci/postgres.sh stop              # stops it and deletes its folder ($TAPSAFE_PG_DIR)
#
# start prints only `export ...` lines on stdout (notes go to stderr), so eval is safe.
# Needs the server binaries (Debian: apt-get install -y postgresql). As root, the cluster
# runs as the `postgres` user (PostgreSQL refuses to run as root).
#
# Environment: PGPORT (default: first free port from 55432), PG_BIN (default: newest
# /usr/lib/postgresql/*/bin), TAPSAFE_PG_DIR (start: where to put it; default a new temp dir),
# PG_FAST=1 (fsync off: faster, fine for tests, wrong for benchmarks).
set -euo pipefail

note() { echo "postgres.sh: $*" >&2; }
die() { note "$*"; exit 1; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
    echo "$PG_BIN"
    return
  fi
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    die "no PostgreSQL server found: apt-get install -y postgresql (or set PG_BIN)"
  fi
  echo "$dir"
}

# Run as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin dir port
  bin=$(find_bin)
  dir=${TAPSAFE_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/tapsafe-pg.XXXXXX")}
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres user (install the postgresql package)"
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  port=${PGPORT:-55432}
  if [ -z "${PGPORT:-}" ]; then
    while port_busy "$port"; do port=$((port + 1)); done
  elif port_busy "$port"; then
    die "port $port is in use"
  fi

  note "initdb in $dir/data ($("$bin/postgres" --version))"
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U tapsafe -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=300"
  [ "${PG_FAST:-}" = 1 ] && options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start >&2 ||
    { cat "$dir/server.log" >&2; die "the server did not start"; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U tapsafe tapsafe_test
  note "PostgreSQL ready on 127.0.0.1:$port (stop: scripts/ci/postgres.sh stop)"
  echo "export TAPSAFE_PG_DIR='$dir'"
  echo "export TEST_DATABASE_URL='postgres://tapsafe@127.0.0.1:$port/tapsafe_test'"
}

stop() {
  local dir=${1:-${TAPSAFE_PG_DIR:-}}
  [ -n "$dir" ] || die "stop: give the folder or set TAPSAFE_PG_DIR"
  [ -f "$dir/data/PG_VERSION" ] || die "stop: $dir holds no cluster"
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || note "server was not running"
  rm -rf "$dir"
  note "stopped and removed $dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: $0 [start|stop [DIR]]" ;;
esac
