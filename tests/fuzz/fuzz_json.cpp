// The JSON parser: any bytes parse or fail with a message; what parses writes back to text
// that parses to the same value; any string (valid UTF-8 or not) writes as valid JSON.
#include <string>
#include <string_view>

#include "engine/json.hpp"
#include "fuzz.hpp"

using namespace bplab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const json::ParseResult r = json::parse(text, json::kMaxDepth, 100000);
  if (r.ok()) {
    const std::string written = json::write(r.value);
    const json::ParseResult back = json::parse(written);
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(back.value == r.value);
    FUZZ_CHECK(json::parse(json::write(r.value, 2)).value == r.value);
  } else {
    FUZZ_CHECK(!r.error.empty());
  }
  // Bytes as a string value (an error message quoting a bad key, say) still write valid JSON.
  FUZZ_CHECK(json::parse(json::write(json::Value(std::string(text)))).ok());
  return 0;
}
