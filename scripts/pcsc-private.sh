#!/usr/bin/env bash
# Runs a command against a PC/SC stack of its own, never the machine's: the command runs in
# private mount, network and PID namespaces where /run/pcscd is an empty tmpfs (so the
# pcscd it starts through scripts/ci/pcscd.sh is its own), vpcd's TCP ports 35963/35964 are
# private, and every process it starts dies with it. A developer's pcscd and real reader
# are never stopped, restarted or seen.
#
#   bash scripts/pcsc-private.sh npx vitest run test/pcsc      (npm run test:pcsc)
#   bash scripts/pcsc-private.sh npm run bench -- handset
#   bash scripts/pcsc-private.sh --check                       (can it? exit 0 or 3)
#
# Root (CI) needs nothing more; any other user gets a user namespace as well (unshare -r,
# which Debian and Ubuntu allow unprivileged users by default). Exits 3 with one line on
# stderr saying why when a private stack cannot be had (no pcscd installed, no unshare, user
# namespaces disabled); otherwise with the command's status.
set -euo pipefail

if [ "${TAPSAFE_PCSC_HOST_NETNS:-}" = '' ]; then
  unavailable() {
    echo "no private PC/SC stack: $*" >&2
    exit 3
  }
  [ $# -gt 0 ] || {
    echo "usage: $0 COMMAND [ARGS…]" >&2
    exit 2
  }
  missing=()
  for tool in pcscd scriptor gcc ip unshare; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  compgen -G '/usr/lib/pcsc/drivers/serial/libifdvpcd.so*' >/dev/null || missing+=(vsmartcard-vpcd)
  if [ ${#missing[@]} -gt 0 ]; then
    unavailable "missing ${missing[*]} (Debian/Ubuntu: bash scripts/ci/pcscd.sh install, or" \
      "sudo apt-get install pcscd pcsc-tools vsmartcard-vpcd gcc iproute2 util-linux)"
  fi
  user_namespace=()
  [ "$(id -u)" = 0 ] || user_namespace=(-r)
  namespaces=("${user_namespace[@]}" --mount --net --pid --fork --mount-proc)
  # A dry run of what the inside does (mount a tmpfs, bring loopback up): some systems make
  # the namespaces but deny these in them (Ubuntu 24.04's AppArmor userns restriction).
  if ! problem="$(unshare "${namespaces[@]}" sh -c 'mount -t tmpfs tmpfs /tmp && ip link set lo up' 2>&1)"; then
    unavailable "unshare ${namespaces[*]} failed (${problem:-no reason given});" \
      "are unprivileged user namespaces disabled? see README, 'The PC/SC suites never touch your pcscd'"
  fi
  [ "$1" != --check ] || exit 0
  # The host's network namespace, so that the suites can check they are not in it.
  TAPSAFE_PCSC_HOST_NETNS="$(readlink /proc/self/ns/net)" \
    exec unshare "${namespaces[@]}" bash "$0" "$@"
fi

# Inside: PID 1 of the new namespaces. Loopback up (the tests' own servers bind to it),
# pcscd's run folder private, pcscd.sh's state (its mode file, the nodelay shim, the tests'
# lock) in that same private tmpfs: nothing outside is read or written, nothing is left.
export TAPSAFE_PCSC_HOST_NETNS
ip link set lo up
if [ -d /run/pcscd ]; then
  mount -t tmpfs tmpfs /run/pcscd
else
  mount -t tmpfs tmpfs /run
  mkdir /run/pcscd
fi
export TAPSAFE_PCSCD_DIR=/run/pcscd/tapsafe
mkdir "$TAPSAFE_PCSCD_DIR"
# Not exec: PID 1 must stay a shell that reaps the daemon's orphans; when it exits the
# kernel kills whatever is left in the namespace (pcscd included).
status=0
"$@" || status=$?
exit "$status"
