// Numbers in the app's words (screen_words.cpp, the panels' sentences, the status line).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace bplab::app {

// v with `digits` decimals: fixed(0.9641, 2) is "0.96".
inline std::string fixed(double v, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

// n and the noun, singular or plural: counted(1, "epoch") is "1 epoch", counted(3, "epoch") "3 epochs".
inline std::string counted(long long n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// n with its thousands grouped: grouped(10000) is "10,000", grouped(-1234567) "-1,234,567".
inline std::string grouped(long long n) {
  const std::string digits = std::to_string(n);
  const size_t sign = n < 0 ? 1 : 0;
  std::string out = digits.substr(0, sign);
  for (size_t i = sign; i < digits.size(); ++i) {
    if (i > sign && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A net's layer sizes as the book writes them: "[784, 30, 10]".
inline std::string sizes_text(const std::vector<int>& sizes) {
  std::string s;
  for (int n : sizes) s += (s.empty() ? "" : ", ") + std::to_string(n);
  return "[" + s + "]";
}

// The sentence with a capital first letter (ASCII): the engine's messages start lower case.
inline std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

}  // namespace bplab::app
