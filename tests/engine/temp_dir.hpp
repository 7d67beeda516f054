// A fresh, empty directory for one test, removed with everything in it at the end.
#pragma once

#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "bplab_test_") {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            (prefix + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // How many entries the directory holds.
  size_t count() const {
    return size_t(std::distance(std::filesystem::directory_iterator(path_), std::filesystem::directory_iterator()));
  }

 private:
  std::filesystem::path path_;
};
