#!/usr/bin/env bash
# The README's commands on a machine with Node and npm only, i.e. without the PC/SC headers
# (libpcsclite-dev): `npm install` must still succeed (npm skips the optional @pokusew/pcsclite,
# whose build fails), and `npm start` must serve the terminal, saying once that PC/SC is
# unavailable, without a crash.
#
#   bash scripts/ci/fresh-machine.sh
#
# Works on a scratch clone of the committed HEAD in a temporary folder, inside private
# mount + PID namespaces in which /usr/include/PCSC is an empty tmpfs: the machine keeps its
# headers, and every process started here dies with the namespace. Root runs it as is; a
# non-root user gets a user namespace too (unshare -r). Prints one summary line; exits
# non-zero on any failure. Takes ~2 minutes (npm install compiles better-sqlite3 from source).
set -euo pipefail

if [ "${1:-}" != --inside ]; then
  root="$(cd "$(dirname "$0")/../.." && pwd)"
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/tapsafe-fresh.XXXXXX")"
  trap 'rm -rf "$scratch"' EXIT
  git clone --quiet --no-hardlinks "$root" "$scratch/repo"
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(-r)
  unshare "${as_root[@]}" --mount --pid --fork --mount-proc \
    bash "$scratch/repo/scripts/ci/fresh-machine.sh" --inside "$scratch"
  exit
fi

# Inside the namespaces: the machine as a fresh one sees it.
scratch="$2"
cd "$scratch/repo"
started=$SECONDS
log=npm-install.log
fail() {
  echo "fresh-machine: FAILED: $*; last output:" >&2
  tail -n 30 "$scratch/$log" >&2 || true
  exit 1
}

if [ -d /usr/include/PCSC ]; then mount -t tmpfs tmpfs /usr/include/PCSC; fi
if [ -e /usr/include/PCSC/winscard.h ]; then fail "could not hide winscard.h"; fi

# The README's command as written: npm install, which must keep to the lockfile.
npm install --no-fund --no-audit >"$scratch/$log" 2>&1 || fail "npm install exited $?"
git diff --quiet -- package.json package-lock.json || fail "npm install changed the lockfile"
if [ -e node_modules/@pokusew/pcsclite/build/Release/pcsclite.node ]; then
  fail "@pokusew/pcsclite was built although winscard.h was hidden"
fi

log=npm-start.log
# TAPSAFE_PORT=0: the browser host takes a free port and prints its URL.
TAPSAFE_PORT=0 TAPSAFE_DATA_DIR="$scratch/data" setsid npm start >"$scratch/$log" 2>&1 </dev/null &
app=$!
url=''
for _ in $(seq 1 1200); do # the first start builds out/: allow 2 minutes
  url="$(sed -n 's/^Tapsafe terminal: open \(http[^ ]*\)$/\1/p' "$scratch/$log")"
  [ -n "$url" ] && break
  kill -0 "$app" 2>/dev/null || fail "npm start exited before serving"
  sleep 0.1
done
[ -n "$url" ] || fail "npm start printed no URL within 2 minutes"

status="$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), (e) => console.log(e.message))' "$url")"
[ "$status" = 200 ] || fail "GET ${url%%#*} answered $status"
notices="$(grep -c '^PC/SC unavailable: ' "$scratch/$log" || true)"
[ "$notices" = 1 ] || fail "expected one 'PC/SC unavailable' line, got $notices"

kill -INT -- "-$app"
for _ in $(seq 1 50); do
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$app" 2>/dev/null && fail "npm start did not stop within 5 s of Ctrl-C"
if grep -qE '^\s+at ' "$scratch/$log"; then fail "a stack trace was printed"; fi

echo "fresh-machine: ok in $((SECONDS - started)) s: npm install without PC/SC headers (@pokusew/pcsclite skipped), npm start served ${url%%#*} with 200 and said: $(grep '^PC/SC unavailable: ' "$scratch/$log" | cut -c1-90)…"
