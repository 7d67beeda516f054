// Model loading: any text loads or is refused with a message; a loaded model passes
// check_network, writes, and reads back to the same numbers.
#include <string>
#include <string_view>

#include "engine/model_io.hpp"
#include "fuzz.hpp"

using namespace bplab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const LoadResult r = read_model_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r.ok()) return 0;
  FUZZ_CHECK(check_network(r.net).empty());
  std::string error;
  const std::string text = model_to_json(r.net, &error);
  if (text.empty()) return 0;  // settings the format cannot write back
  const LoadResult back = read_model_json(text);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back.net.sizes == r.net.sizes);
  for (size_t i = 0; i < r.net.weights.size(); ++i) {
    FUZZ_CHECK(back.net.weights[i] == r.net.weights[i]);
    FUZZ_CHECK(back.net.biases[i] == r.net.biases[i]);
  }
  return 0;
}
