#!/usr/bin/env bash
# One build of scripts/builds.mk: runs COMMAND with its output in build/NAME.log, says when it
# starts and ends, and prints the log if it fails.
#
#   scripts/build-step.sh NAME COMMAND...
set -uo pipefail
name=$1; shift
log=build/$name.log
start=$SECONDS
echo "   $name build: started ($*)"
if nice "$@" > "$log" 2>&1; then
  echo "   $name build: done in $((SECONDS - start)) s ($log)"
else
  status=$?
  cat "$log"
  echo "   $name build: FAILED after $((SECONDS - start)) s ($log)" >&2
  exit $status
fi
