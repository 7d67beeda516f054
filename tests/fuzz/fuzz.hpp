// Shared by the fuzz harnesses (tests/fuzz/*.cpp): each defines LLVMFuzzerTestOneInput, run
// by libFuzzer in the sanitizer build (fuzz_<name>) and by replay_main.cpp over the corpus in
// the ordinary build (fuzz_corpus_<name> tests). A harness aborts (FUZZ_CHECK) when a
// property fails, so libFuzzer reports it like a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
