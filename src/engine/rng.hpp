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

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace bplab
