#!/usr/bin/env bash
# The real PC/SC stack for tests and benchmarks, with no hardware: pcscd with Debian's
# vsmartcard-vpcd driver (readers "Virtual PCD 00 00" on TCP 35963 and "00 01" on 35964,
# where a virtual card connects as a TCP client).
#
#   scripts/ci/pcscd.sh install                  apt packages + gcc, if missing (run before
#                                                `npm ci`: @pokusew/pcsclite compiles against
#                                                libpcsclite-dev)
#   scripts/ci/pcscd.sh start [--no-nodelay] [--apdu]
#   scripts/ci/pcscd.sh restart [--no-nodelay] [--apdu]
#   scripts/ci/pcscd.sh stop | status
#
# start installs what is missing, builds the TCP_NODELAY shim (scripts/ci/nodelay: Debian's
# vpcd sends length and payload in two writes, ~44 ms per APDU under Nagle) and runs
# `pcscd -f` in the background with it preloaded, unless --no-nodelay (the benchmark's
# "without" figure). It returns once /run/pcscd/pcscd.comm accepts connections and vpcd
# listens. Idempotent: a running pcscd in the asked mode is left alone, one in the other
# mode is restarted.
#
# This acts on the pcscd of whatever namespace it runs in. The test suites and the PC/SC
# benchmark run it only inside scripts/pcsc-private.sh (private /run/pcscd, network and
# state folder via TAPSAFE_PCSCD_DIR), never on a machine's own pcscd. Run on the machine,
# it serves the README's handset demo; vpcd then listens on all interfaces, not only
# loopback.
set -euo pipefail

STATE_DIR="${TAPSAFE_PCSCD_DIR:-/tmp/tapsafe-pcscd}"
SOCKET=/run/pcscd/pcscd.comm
PID_FILE=/run/pcscd/pcscd.pid
LOG="$STATE_DIR/pcscd.log"
MODE_FILE="$STATE_DIR/mode"
HERE="$(cd "$(dirname "$0")" && pwd)"
VPCD_PORT_HEX=8C7B # 35963, the first vpcd reader

say() { echo "pcscd.sh: $*" >&2; }

install_missing() {
  local missing=()
  command -v pcscd >/dev/null || missing+=(pcscd)
  command -v scriptor >/dev/null || missing+=(pcsc-tools)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  # scripts/pcsc-private.sh: loopback up in a private network namespace, and unshare.
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null || missing+=(util-linux)
  [ -f /usr/include/PCSC/winscard.h ] || missing+=(libpcsclite-dev)
  compgen -G '/usr/lib/pcsc/drivers/serial/libifdvpcd.so*' >/dev/null || missing+=(vsmartcard-vpcd)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No recommends: pcsc-tools would pull in a GTK stack that scriptor does not need.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A process that exists and is not a zombie: a killed pcscd whose parent is gone lingers
# as <defunct> until init reaps it, and must not count as running.
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != Z ]
}

running_pid() {
  local pid
  # pcscd pads its pid file with NUL bytes: keep the digits only.
  pid="$(tr -dc '0-9' 2>/dev/null <"$PID_FILE" || true)"
  if [ -n "$pid" ] && alive "$pid"; then echo "$pid"; fi
}

# True when a socket listens at pcscd's path: cheap enough to poll. A stale socket file
# left by a killed pcscd has no entry here. (Flags 00010000: __SO_ACCEPTCON, listening.)
socket_listens() {
  grep -q " 00010000 .* $SOCKET\$" /proc/net/unix
}

# True when pcscd's client socket accepts a connection: the real test, done once.
socket_accepts() {
  [ -S "$SOCKET" ] || return 1
  node -e '
    const s = require("node:net").connect(process.argv[1]);
    s.on("connect", () => { s.destroy(); process.exit(0); });
    s.on("error", () => process.exit(1));
  ' "$SOCKET"
}

vpcd_listens() {
  # No pipe: under pipefail, grep -q exiting early would fail the pipeline with SIGPIPE.
  grep -qs ":$VPCD_PORT_HEX [0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6
}

stop() {
  local pid
  pid="$(running_pid)"
  if [ -z "$pid" ]; then
    rm -f "$MODE_FILE"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  # pcscd takes up to ~1.5 s to stop after a signal.
  for _ in $(seq 1 50); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "pcscd $pid ignored SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$MODE_FILE"
  say "stopped pcscd $pid"
}

start() {
  local nodelay=1 apdu=()
  for arg in "$@"; do
    case "$arg" in
      --no-nodelay) nodelay=0 ;;
      --apdu) apdu=(-a) ;;
      *) say "unknown option $arg" && exit 2 ;;
    esac
  done
  local mode="nodelay=$nodelay apdu=${#apdu[@]}"

  if [ -n "$(running_pid)" ] && socket_accepts; then
    if [ "$(cat "$MODE_FILE" 2>/dev/null || true)" = "$mode" ]; then
      return 0
    fi
    if [ ! -f "$MODE_FILE" ]; then
      say "a pcscd not started by this script is running; using it as it is"
      return 0
    fi
    stop
  fi

  install_missing
  mkdir -p "$STATE_DIR"
  local preload=()
  if [ "$nodelay" = 1 ]; then
    preload=("LD_PRELOAD=$("$HERE/nodelay/build.sh" "$STATE_DIR")")
  fi
  # A pcscd killed with -9 leaves its pid file and socket, and a new one refuses to start
  # while that pid still exists (even as a zombie): clear them.
  if [ -z "$(running_pid)" ]; then rm -f "$PID_FILE" "$SOCKET"; fi
  # setsid + every stream redirected: the daemon outlives this script and holds none of
  # its caller's pipes (a test runner waiting for our output would otherwise hang).
  setsid env "${preload[@]}" pcscd -f "${apdu[@]}" >>"$LOG" 2>&1 </dev/null &
  local launched=$!
  for _ in $(seq 1 100); do
    if socket_listens && vpcd_listens && socket_accepts; then
      echo "$mode" >"$MODE_FILE"
      say "pcscd $(running_pid || echo "$launched") ready ($mode; log $LOG)"
      return 0
    fi
    if ! alive "$launched"; then
      say "pcscd exited at start; last log lines:" && tail -n 20 "$LOG" >&2
      exit 1
    fi
    sleep 0.1
  done
  say "pcscd did not accept connections within 10 s; last log lines:" && tail -n 20 "$LOG" >&2
  exit 1
}

status() {
  local pid
  pid="$(running_pid)"
  if [ -n "$pid" ] && socket_accepts; then
    echo "running pid=$pid $(cat "$MODE_FILE" 2>/dev/null || echo 'mode=unknown')"
  else
    echo "stopped"
    return 3
  fi
}

command="${1:-start}"
shift || true
case "$command" in
  install) install_missing ;;
  start) start "$@" ;;
  stop) stop ;;
  restart) stop && start "$@" ;;
  status) status ;;
  *) say "usage: $0 install|start|stop|restart|status [--no-nodelay] [--apdu]" && exit 2 ;;
esac
