// The digits file (My digits, docs/digits-format.md): any text adds its digits to the set or is
// refused whole, the set unchanged; the digits read are labels 0..9 and pixels in [0, 1], and
// write back to a file that reads to the same numbers.
#include <string>
#include <string_view>

#include "app/examples.hpp"
#include "fuzz.hpp"

using namespace bplab::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t room = data[0];  // how many more digits the set may take
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<Example> set(1);
  set[0].label = 4;
  set[0].pixels[10] = 0.5f;
  const std::string e = read_digits(text, room, &set);
  if (!e.empty()) {
    FUZZ_CHECK(set.size() == 1 && set[0].label == 4 && set[0].pixels[10] == 0.5f);
    FUZZ_CHECK(e.rfind("digits file refused: ", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(set.size() >= 1 && set.size() - 1 <= room);
  for (const Example& x : set) {
    FUZZ_CHECK(x.label >= 0 && x.label <= 9);
    for (float v : x.pixels) FUZZ_CHECK(v >= 0 && v <= 1);
  }
  std::vector<Example> back;
  FUZZ_CHECK(read_digits(write_digits(set), set.size(), &back).empty());
  FUZZ_CHECK(back.size() == set.size());
  for (size_t i = 0; i < set.size(); ++i) FUZZ_CHECK(back[i].label == set[i].label && back[i].pixels == set[i].pixels);
  return 0;
}
