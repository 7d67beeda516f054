// A 64-bit hash of bytes (FNV-1a's constants over 8-byte words), to notice that a model or an
// input changed. Word by word because the largest net is 15 MB of floats: byte by byte, hashing
// its doubles each frame took most of a frame's time in WebAssembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bplab::app {

struct Hasher {
  uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, b + i, 8);
      h = (h ^ w) * 1099511628211ull;
      h ^= h >> 29;  // the multiply only moves bits up: fold the high ones back down
    }
    for (; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <typename T>
  void value(const T& v) { bytes(&v, sizeof v); }
};

}  // namespace bplab::app
