// The app's source files for the tests that read them (test_glyphs, test_mirror): every file
// under src/app, in every folder, checked against the sources src/app/CMakeLists.txt builds, so
// that a file moved into a subfolder is still read.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace bplab::app::test {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Every .cpp and .hpp under `dir` (BPLAB_TEST_APP_SOURCE_DIR), in sorted order; fails the test
// if one of the .cpp files CMakeLists.txt there builds is not among them.
inline std::vector<std::filesystem::path> app_sources(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::set<std::string> relative;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    files.push_back(entry.path());
    relative.insert(fs::relative(entry.path(), dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  const std::string cmake = read_text(fs::path(dir) / "CMakeLists.txt");
  const std::regex source(R"(([A-Za-z0-9_/]+\.cpp))");
  int listed = 0;
  for (auto it = std::sregex_iterator(cmake.begin(), cmake.end(), source); it != std::sregex_iterator(); ++it, ++listed)
    EXPECT_EQ(relative.count((*it)[1].str()), 1u) << (*it)[1].str() << " is built but was not read";
  EXPECT_GT(listed, 10) << "src/app/CMakeLists.txt lists its sources no more";
  return files;
}

}  // namespace bplab::app::test
