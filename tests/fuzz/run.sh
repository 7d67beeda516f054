#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz for a bounded time each (run-tests.sh: 30 s).
#
#   tests/fuzz/run.sh BUILD [SECONDS] [NAME...]
#
# BUILD is the sanitizer build (run-tests.sh makes build/sanitize with -DBPLAB_FUZZ=ON);
# NAMES default to every harness (json model idx trainer_state url stroke command digits). New inputs
# go to BUILD/fuzz-corpus/NAME (the repository's corpus is only read); a crash, a sanitizer
# report or a failed check is written to BUILD/fuzz-artifacts/ and fails the run. To search
# longer, e.g. an hour a target on 2 cores:  tests/fuzz/run.sh build/sanitize 3600 model
# and copy any crash file into tests/fuzz/corpus/NAME once it is fixed (it then replays as the
# test fuzz_corpus_NAME).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:?usage: run.sh BUILD [SECONDS] [NAME...]}" && pwd)"
seconds="${2:-30}"
shift $(( $# >= 2 ? 2 : 1 ))
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(json model idx trainer_state url stroke command digits)

status=0
mkdir -p "$build/fuzz-artifacts"
for name in "${names[@]}"; do
  bin="$build/tests/fuzz/fuzz_$name"
  [[ -x $bin ]] || { echo "fuzz: $bin is not built (cmake -DBPLAB_FUZZ=ON)" >&2; exit 1; }
  work="$build/fuzz-corpus/$name"
  mkdir -p "$work"
  dict=()
  [[ -f $here/dict/$name.dict ]] && dict=(-dict="$here/dict/$name.dict")
  echo "fuzz: $name for ${seconds}s"
  # -rss_limit_mb: the limits (model text, JSON values) must keep every input far below it.
  # A fixed seed (BPLAB_FUZZ_SEED, default 1): the test command explores the same inputs on
  # every run, so a red run means a change, not luck; search elsewhere with another seed.
  if ! "$bin" -seed="${BPLAB_FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
       -artifact_prefix="$build/fuzz-artifacts/$name-" "${dict[@]}" "$work" "$here/corpus/$name" \
       > "$build/fuzz-$name.log" 2>&1; then
    echo "fuzz: $name FAILED; the end of $build/fuzz-$name.log:" >&2
    tail -40 "$build/fuzz-$name.log" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-$name.log" | tr '\n' ' '
    echo
  fi
done
exit $status
