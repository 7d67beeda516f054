// The fonts hold only the glyph ranges of fonts.cpp (kept small: the atlas is built before the
// first frame). Every character the app writes in its strings must be among them, or it would
// show as '?'.
#include <gtest/gtest.h>

#include "app_sources.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/fonts.hpp"

namespace bplab::app {
namespace {

// The code points above ASCII inside the string literals of C++ source `text` (comments and
// character literals skipped; \x escapes are decoded as bytes of UTF-8).
std::vector<std::pair<unsigned, int>> literal_code_points(const std::string& text) {
  std::vector<std::pair<unsigned, int>> out;  // code point, line
  std::string bytes;
  int line = 1;
  auto flush = [&](int at) {
    for (size_t i = 0; i < bytes.size();) {
      const unsigned char c = static_cast<unsigned char>(bytes[i]);
      int n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      unsigned cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
      for (int k = 1; k < n && i + k < bytes.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3F);
      if (cp > 0x7E) out.push_back({cp, at});
      i += size_t(n);
    }
    bytes.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      ++line;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      for (i += 2; i + 1 < text.size() && !(text[i] == '*' && text[i + 1] == '/'); ++i) line += text[i] == '\n';
      ++i;
    } else if (c == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) i += text[i] == '\\';
    } else if (c == '"') {
      const int at = line;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          if (text[i + 1] == 'x') {
            bytes += char(std::stoi(text.substr(i + 2, 2), nullptr, 16));
            i += 3;
          } else {
            ++i;
          }
        } else {
          bytes += text[i];
        }
      }
      flush(at);
    }
  }
  return out;
}

TEST(Glyphs, EveryCharacterTheAppWritesIsInTheFonts) {
  int files = 0, found = 0;
  for (const auto& path : test::app_sources(BPLAB_TEST_APP_SOURCE_DIR)) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    ++files;
    for (const auto& [cp, line] : literal_code_points(s.str())) {
      ++found;
      EXPECT_TRUE(has_glyph(cp)) << path.filename().string() << ":" << line << ": U+" << std::hex << cp
                                 << " is not in the glyph ranges of fonts.cpp";
    }
  }
  EXPECT_GT(files, 10);
  EXPECT_GT(found, 100);  // the notation is there: the scan works
}

TEST(Glyphs, TheScanFindsWhatItShould) {
  const auto cps = literal_code_points("a(\"σ\\xE2\\x88\\x92x\"); // ✓ \n/* ✓ */ b('\"'); c(\"✓\");");
  ASSERT_EQ(cps.size(), 3u);
  EXPECT_EQ(cps[0].first, 0x3C3u);
  EXPECT_EQ(cps[1].first, 0x2212u);
  EXPECT_EQ(cps[2].first, 0x2713u);
  EXPECT_EQ(cps[2].second, 2);
  EXPECT_FALSE(has_glyph(0x2713));
  EXPECT_TRUE(has_glyph(0x3C3));
}

}  // namespace
}  // namespace bplab::app
