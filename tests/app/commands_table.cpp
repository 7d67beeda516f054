// Prints the page's command table as the app reads it (the "commands" command's JSON), for
// tests/app/commands_js_test.mjs to compare with the page's copy.
#include <cstdio>

#include "app/lab.hpp"
#include "engine/json.hpp"

int main() {
  bplab::app::Lab lab;
  const bplab::json::Value r = lab.command("commands", bplab::json::Value());
  std::printf("%s\n", bplab::json::write(*r.find("value")).c_str());
  return r.find("ok")->as_bool() ? 0 : 1;
}
