#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz for a bounded time each (run-tests.sh: 10 s).
#
#   tests/fuzz/run.sh BUILD [SECONDS] [NAME...]
#
# BUILD is the sanitizer build (run-tests.sh makes build/sanitize with -DBPLAB_FUZZ=ON);
# NAMES default to every harness, tests/fuzz/fuzz_NAME.cpp; BPLAB_FUZZ_JOBS of them run at once
# (default 1), or the number in the file BPLAB_FUZZ_JOBS_FILE once it is written (run-tests.sh
# writes it when ctest has ended and its cores are free). New inputs go to
# BUILD/fuzz-corpus/NAME (the repository's corpus is only read); a crash, a sanitizer report or
# a failed check is written to BUILD/fuzz-artifacts/ and fails the run. To search longer, e.g.
# an hour a target on 2 cores:
#   BPLAB_FUZZ_JOBS=2 tests/fuzz/run.sh build/sanitize 3600 model json
# and copy any crash file into tests/fuzz/corpus/NAME once it is fixed (it then replays as the
# test fuzz_corpus_NAME on every run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:?usage: run.sh BUILD [SECONDS] [NAME...]}" && pwd)"
seconds="${2:-10}"
jobs_at_once() {
  local n=
  [[ -n ${BPLAB_FUZZ_JOBS_FILE:-} && -s $BPLAB_FUZZ_JOBS_FILE ]] && read -r n < "$BPLAB_FUZZ_JOBS_FILE"
  [[ $n =~ ^[1-9][0-9]?$ ]] || n=${BPLAB_FUZZ_JOBS:-1}
  echo "$n"
}
shift $(( $# >= 2 ? 2 : 1 ))
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for f in "$here"/fuzz_*.cpp; do names+=("$(basename "$f" .cpp | sed 's/^fuzz_//')"); done
fi

mkdir -p "$build/fuzz-artifacts"
for name in "${names[@]}"; do
  [[ -x $build/tests/fuzz/fuzz_$name ]] || { echo "fuzz: $build/tests/fuzz/fuzz_$name is not built (cmake -DBPLAB_FUZZ=ON)" >&2; exit 1; }
done

# One harness for `seconds`, its output in BUILD/fuzz-NAME.log.
fuzz() {
  local name=$1 work="$build/fuzz-corpus/$1" dict=()
  mkdir -p "$work"
  [[ -f $here/dict/$name.dict ]] && dict=(-dict="$here/dict/$name.dict")
  # -rss_limit_mb: the limits (model text, JSON values) must keep every input far below it.
  # A fixed seed (BPLAB_FUZZ_SEED, default 1): the test command explores the same inputs on
  # every run, so a red run means a change, not luck; search elsewhere with another seed.
  nice "$build/tests/fuzz/fuzz_$name" -seed="${BPLAB_FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" \
    "${dict[@]}" "$work" "$here/corpus/$name" > "$build/fuzz-$name.log" 2>&1
}

status=0
pids=()
for i in "${!names[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $(jobs_at_once) ]]; do sleep 0.2; done
  echo "fuzz: ${names[$i]} for ${seconds}s"
  fuzz "${names[$i]}" &
  pids[$i]=$!
done
for i in "${!names[@]}"; do
  name=${names[$i]}
  if ! wait "${pids[$i]}"; then
    echo "fuzz: $name FAILED; the end of $build/fuzz-$name.log:" >&2
    tail -40 "$build/fuzz-$name.log" >&2
    status=1
  else
    echo "fuzz: $name: $(grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-$name.log" | tr '\n' ' ')"
  fi
done
exit $status
