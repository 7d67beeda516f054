#include "rng.hpp"

#include <cmath>

namespace bplab {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : s_) s = splitmix64(seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1;
  do u1 = uniform();
  while (u1 <= 0.0);
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 6.283185307179586 * u2;
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

uint32_t Rng::below(uint32_t n) {
  // Lemire's multiply-and-reject.
  uint64_t m = uint64_t(uint32_t(next_u64() >> 32)) * n;
  uint32_t low = uint32_t(m);
  if (low < n) {
    const uint32_t threshold = uint32_t(-n) % n;
    while (low < threshold) {
      m = uint64_t(uint32_t(next_u64() >> 32)) * n;
      low = uint32_t(m);
    }
  }
  return uint32_t(m >> 32);
}

void Rng::shuffle(std::vector<int>& v) {
  for (size_t i = v.size(); i > 1; --i) {
    const size_t j = below(uint32_t(i));
    std::swap(v[i - 1], v[j]);
  }
}

}  // namespace bplab
