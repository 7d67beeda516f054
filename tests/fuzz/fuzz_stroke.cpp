// Stroke preprocessing: any floats as strokes (x0, y0, x1, y1, r), then MNIST's
// preprocessing, give an image in [0, 1] (UBSan: no float-to-int overflow).
#include <cmath>
#include <cstring>

#include "app/preprocess.hpp"
#include "fuzz.hpp"

using namespace bplab::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Canvas c(size > 0 && data[0] < 16 ? 28 + data[0] : 280);
  for (size_t at = 1; at + 5 * sizeof(float) <= size && at < 1 + 64 * 5 * sizeof(float); at += 5 * sizeof(float)) {
    float v[5];
    std::memcpy(v, data + at, sizeof v);
    c.stroke(v[0], v[1], v[2], v[3], v[4]);
  }
  for (float ink : c.ink) FUZZ_CHECK(ink >= 0 && ink <= 1);
  const auto image = preprocess_mnist(c);
  for (float p : image) FUZZ_CHECK(std::isfinite(p) && p >= 0 && p <= 1.0001f);
  return 0;
}
