// Trainer-state restore (the bytes the training worker sends back): any bytes are refused
// with a reason or give a trainer that trains (without looping forever or overflowing), saves
// and restores again. The data: 8 examples of 4 inputs and labels 0..2, as the corpus's states
// (tests/engine/data/trainer_state) were saved over.
#include <string>
#include <vector>

#include "engine/trainer.hpp"
#include "fuzz.hpp"

using namespace bplab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<float> x = [] {
    std::vector<float> v(4 * 8);
    for (size_t i = 0; i < v.size(); ++i) v[i] = float(i % 7) / 7;
    return v;
  }();
  static const std::vector<uint8_t> labels = {0, 1, 2, 0, 1, 2, 0, 1};
  const DataView view{x.data(), labels.data(), 8, 4};
  std::string error;
  std::unique_ptr<Trainer> t = Trainer::restore(data, size, view, &error);
  if (!t) {
    FUZZ_CHECK(error.find("refused") != std::string::npos);
    return 0;
  }
  FUZZ_CHECK(check_network(t->last_finite_network()).empty());
  t->run(5);
  const std::vector<uint8_t> saved = t->save_state();
  // What it saves restores again, unless training carried a counter past restore's limits.
  const bool again = Trainer::restore(saved.data(), saved.size(), view, &error) != nullptr;
  if (!again) std::fprintf(stderr, "the saved state is refused: %s\n", error.c_str());
  FUZZ_CHECK(again || t->epoch() > kMaxEpochCounter || t->examples_seen() > kMaxExamplesSeen);
  return 0;
}
