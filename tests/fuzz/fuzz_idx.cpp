// The IDX reader: the input is split into an images file and a labels file (the first two
// bytes say where); either they load, with labels 0..9 and pixels to match, or are refused.
#include <string>

#include "engine/mnist.hpp"
#include "fuzz.hpp"

using namespace bplab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t split = std::min<size_t>(size - 2, size_t(data[0]) << 8 | data[1]);
  const uint8_t* images = data + 2;
  const uint8_t* labels = images + split;
  const size_t labels_size = size - 2 - split;
  Dataset d;
  const std::string e = load_idx_from_memory(images, split, labels, labels_size, &d);
  if (!e.empty()) {
    FUZZ_CHECK(d.size() == 0);
    return 0;
  }
  FUZZ_CHECK(d.pixels.cols() == d.size());
  FUZZ_CHECK(d.pixels.rows() == Eigen::Index(d.rows) * d.cols);
  for (uint8_t label : d.labels) FUZZ_CHECK(label <= 9);
  Dataset part;
  load_idx_from_memory(images, split, labels, labels_size, &part, d.size() / 2, -1);
  FUZZ_CHECK(part.size() == d.size() - d.size() / 2);
  return 0;
}
