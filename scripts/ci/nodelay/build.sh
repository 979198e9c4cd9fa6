#!/usr/bin/env bash
# Builds the TCP_NODELAY LD_PRELOAD shim (see nodelay.c) into OUT (default: next to the
# source would dirty the work tree, so callers pass a folder outside it). Rebuilds only
# when the source is newer than the library.
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)/nodelay.c"
out="${1:?usage: build.sh OUTPUT_DIR}"
mkdir -p "$out"
lib="$out/libtapsafe-nodelay.so"
if [ ! -f "$lib" ] || [ "$src" -nt "$lib" ]; then
  gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$lib.tmp" "$src" -ldl
  mv "$lib.tmp" "$lib"
fi
echo "$lib"
