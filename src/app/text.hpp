// Numbers in the app's words (screen_words.cpp, the panels' sentences).
#pragma once

#include <cstdio>
#include <string>

namespace bplab::app {

// v with `digits` decimals: fixed(0.9641, 2) is "0.96".
inline std::string fixed(double v, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

}  // namespace bplab::app
