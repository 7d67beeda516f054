// A small random number generator with the same stream on every platform and standard
// library (std::normal_distribution and std::shuffle are not specified bit for bit,
// so native and WebAssembly builds would otherwise differ for the same seed).
#pragma once

#include <cstdint>
#include <vector>

namespace bplab {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);
  uint64_t next_u64();                  // xoshiro256**
  double uniform();                     // in [0, 1)
  double normal();                      // N(0, 1), Box–Muller
  uint32_t below(uint32_t n);           // uniform in [0, n), unbiased
  void shuffle(std::vector<int>& v);    // Fisher–Yates

  // The whole state, so that a stream can be saved and resumed (Trainer::save_state).
  struct State {
    uint64_t s[4];
    double spare;
    bool has_spare;
  };
  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, spare_, has_spare_}; }
  void set_state(const State& st) {
    for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
    spare_ = st.spare;
    has_spare_ = st.has_spare;
  }

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace bplab
