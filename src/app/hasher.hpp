// A 64-bit hash of bytes (FNV-1a's constants over 8-byte words), to notice that a model or an
// input changed. Word by word, in four independent lanes, because the largest net is 15 MB of
// floats hashed every frame: byte by byte it took a quarter of a frame in WebAssembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bplab::app {

struct Hasher {
  static constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t h = 1469598103934665603ull;

  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    size_t i = 0;
    if (n >= 32) {
      uint64_t lane[4] = {h, h ^ 1, h ^ 2, h ^ 3};
      for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 4; ++k) {
          uint64_t w;
          std::memcpy(&w, b + i + 8 * k, 8);
          lane[k] = (lane[k] ^ w) * kPrime;
          lane[k] ^= lane[k] >> 29;  // the multiply only moves bits up: fold the high ones back down
        }
      for (uint64_t l : lane) word(l);
    }
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, b + i, 8);
      word(w);
    }
    for (; i < n; ++i) h = (h ^ b[i]) * kPrime;
  }
  template <typename T>
  void value(const T& v) { bytes(&v, sizeof v); }

 private:
  void word(uint64_t w) {
    h = (h ^ w) * kPrime;
    h ^= h >> 29;
  }
};

}  // namespace bplab::app
