# The three builds of run-tests.sh side by side, in one pool of jobs:
#
#   make -j2 -f scripts/builds.mk SANITIZE_TARGETS="engine_tests app_tests ..."
#
# Each build's make takes its compilers from this make's job server, so two compile at any
# time, whichever build they belong to. One after the other, a build ending on its largest file
# leaves a core idle (the sanitizer build did for a third of its time: 142 of 456
# core-seconds). run-tests.sh configures build/ and build/sanitize first; build-wasm.sh
# configures its own. Each build writes build/<name>.log; a failed build's log is printed.
SANITIZE_TARGETS ?= engine_tests app_tests

# In this order: with two jobs, the first two start at once and the web build when one ends.
# The sanitizer build ends on its two largest files and its links, one at a time (a core idle
# for 75 s when it came last); the web build's last part is many small files and a link that
# uses both cores.
.PHONY: all native web sanitize
all: sanitize native web

# The recipes start with + : they are makes, and share the job server.
native:
	+@scripts/build-step.sh native cmake --build build
web:
	+@scripts/build-step.sh web ./build-wasm.sh
sanitize:
	+@scripts/build-step.sh sanitize cmake --build build/sanitize --target $(SANITIZE_TARGETS)
