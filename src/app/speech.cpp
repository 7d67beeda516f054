// Plain text for speech (speech.hpp).
#include "app/speech.hpp"

#include <cctype>

namespace bplab::app {

namespace {

bool starts(std::string_view s, size_t i, std::string_view what) { return s.substr(i, what.size()) == what; }

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Decorative arrows that stand for a direction a name already says ("next ▶", "◀ previous").
constexpr std::string_view kDecorations[] = {"\u25B6", "\u25C0", "\u25B8", "\u25C2", "\u25BA", "\u25C4"};

// A script's argument after ^ or _ at text[i]: "{jk}" or one letter or digit (or a
// multi-byte letter: δ, σ). Returns its text and sets *end past it; "" if none.
std::string_view script(std::string_view text, size_t i, size_t* end) {
  if (i >= text.size()) return {};
  if (text[i] == '{') {
    const size_t close = text.find('}', i);
    if (close == std::string_view::npos) return {};
    *end = close + 1;
    return text.substr(i + 1, close - i - 1);
  }
  if (alnum(text[i])) {
    *end = i + 1;
    return text.substr(i, 1);
  }
  if (static_cast<unsigned char>(text[i]) >= 0xC0) {  // one UTF-8 letter
    size_t j = i + 1;
    while (j < text.size() && (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) ++j;
    *end = j;
    return text.substr(i, j - i);
  }
  return {};
}

}  // namespace

std::string speakable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    bool decoration = false;
    for (std::string_view d : kDecorations)
      if (starts(text, i, d)) {
        // The arrow and the space that joined it to the name.
        i += d.size();
        if (i < text.size() && text[i] == ' ') ++i;
        else if (!out.empty() && out.back() == ' ') out.pop_back();
        decoration = true;
        break;
      }
    if (decoration) continue;
    if (starts(text, i, "/\u2202")) {  // "∂C/∂a": "partial C over partial a"
      out += " over ";
      ++i;
      continue;
    }
    if (starts(text, i, "\u2202")) {
      out += "partial ";
      i += std::string_view("\u2202").size();
      continue;
    }
    if ((text[i] == '^' || text[i] == '_') && !out.empty() && out.back() != ' ') {
      size_t end = i + 1;
      const std::string_view arg = script(text, i + 1, &end);
      if (!arg.empty()) {
        out += text[i] == '^' ? " superscript " : " sub ";
        out += arg;
        i = end;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace bplab::app
