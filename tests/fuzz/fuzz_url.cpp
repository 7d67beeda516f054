// The URL settings (?a=1&b=2 or #...): any query gives settings that pass their own checks
// and write back to a query that reads again without a warning, to the same query.
#include <string>
#include <vector>

#include "app/settings.hpp"
#include "fuzz.hpp"

using namespace bplab::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Settings s;
  std::vector<std::string> warnings;
  read_query(std::string_view(reinterpret_cast<const char*>(data), size), s, &warnings);
  FUZZ_CHECK(check_app_sizes(s.sizes).empty());
  const std::string query = write_query(s);
  Settings again;
  std::vector<std::string> more;
  read_query(query, again, &more);
  FUZZ_CHECK(more.empty());
  FUZZ_CHECK(write_query(again) == query);
  return 0;
}
