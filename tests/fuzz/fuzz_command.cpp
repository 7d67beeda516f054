// The page's command entry (what window.backpropLab and postMessage reach): the input's first
// line is a command name, the rest its JSON arguments. Any call answers {"ok": ...} as valid
// JSON text, and the app goes on (a frame's tick, its state) with a finite model.
#include <string>
#include <string_view>

#include "app/lab.hpp"
#include "engine/json.hpp"
#include "fuzz.hpp"

using namespace bplab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string name(text.substr(0, newline));
  const std::string_view args_text = newline == std::string_view::npos ? "null" : text.substr(newline + 1);
  const json::ParseResult args = json::parse(args_text, json::kMaxDepth, 100000);
  if (!args.ok()) return 0;  // the page refuses those before calling (bplab_call)
  app::Lab lab;
  const json::Value answer = lab.command(name, args.value);
  FUZZ_CHECK(answer.is_object() && answer.find("ok") && answer.find("ok")->is_bool());
  const json::ParseResult back = json::parse(json::write(answer));
  FUZZ_CHECK(back.ok());
  lab.tick(1);
  FUZZ_CHECK(json::parse(json::write(lab.state_json())).ok());
  FUZZ_CHECK(check_network(lab.model()).empty());
  return 0;
}
