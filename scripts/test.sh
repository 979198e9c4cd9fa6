#!/usr/bin/env bash
# `npm test`'s test run (after lint, type checks and build): every suite but test/pcsc on
# the machine as it is, the Playwright end-to-end tests in Chromium, then test/pcsc on a
# private pcscd (scripts/pcsc-private.sh), then one line naming what was skipped and why.
# With CI=true nothing may be skipped: the PC/SC, PostgreSQL and Chromium suites fail instead.
set -uo pipefail
cd "$(dirname "$0")/.."
in_ci=0
case "${CI:-}" in true | TRUE | True | 1) in_ci=1 ;; esac

# Suites append "what (why)" lines here when they skip (test/pcsc/support/stack.ts).
TAPSAFE_SKIP_LOG="$(mktemp "${TMPDIR:-/tmp}/tapsafe-skips.XXXXXX")"
export TAPSAFE_SKIP_LOG
trap 'rm -f "$TAPSAFE_SKIP_LOG"' EXIT

status=0
npx vitest run --exclude 'test/pcsc/**' || status=1

# The end-to-end tests (playwright.config.ts) drive the browser host in Debian's Chromium;
# Playwright's own browser download is not reachable here, so without it they are skipped.
chromium="${TAPSAFE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ] || [ "$in_ci" = 1 ]; then
  npx playwright test || status=1
else
  echo "Playwright end-to-end tests (no Chromium at $chromium: apt install chromium)" >>"$TAPSAFE_SKIP_LOG"
fi

if reason="$(bash scripts/pcsc-private.sh --check 2>&1)"; then
  bash scripts/pcsc-private.sh npx vitest run test/pcsc || status=1
else
  echo "$reason" >&2
  echo "PC/SC suites (${reason#no private PC/SC stack: })" >>"$TAPSAFE_SKIP_LOG"
  [ "$in_ci" = 0 ] || status=1
fi

if [ -z "${TEST_DATABASE_URL:-}" ] && [ "$in_ci" = 0 ]; then
  echo "PostgreSQL runs of the platform suites (TEST_DATABASE_URL unset: scripts/ci/postgres.sh starts a server)" >>"$TAPSAFE_SKIP_LOG"
fi

skipped="$(sort -u "$TAPSAFE_SKIP_LOG" | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')"
if [ "$in_ci" = 1 ] && [ -n "$skipped" ]; then
  echo "not run, so CI fails: $skipped"
else
  echo "skipped: ${skipped:-nothing}"
fi
exit "$status"
