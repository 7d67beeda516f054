#include "files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bplab {

std::string regular_file_problem(const std::string& path, uint64_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "a directory, not a file";
  if (!S_ISREG(st.st_mode)) return "not a regular file (a FIFO, socket or device)";
  if (size) *size = uint64_t(st.st_size);
  return "";
}

std::string check_regular_file(const std::string& path, uint64_t* size) {
  const std::string e = regular_file_problem(path, size);
  if (e.empty()) return "";
  if (e[0] == 'a' || e[0] == 'n') return path + " is " + e;
  return "cannot open " + path + ": " + e;
}

std::string read_regular_file(const std::string& path, uint64_t max_bytes, std::string* text) {
  uint64_t size = 0;
  if (std::string e = check_regular_file(path, &size); !e.empty()) return e;
  if (size > max_bytes)
    return path + " is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(max_bytes);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "cannot open " + path + ": " + std::strerror(errno);
  text->assign(size_t(size), '\0');
  const size_t got = size ? std::fread(&(*text)[0], 1, size_t(size), f) : 0;
  const bool more = std::fgetc(f) != EOF;  // the file grew since stat: refuse rather than cut it
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed || got != size_t(size)) return "cannot read " + path + ": read " + std::to_string(got) + " of " +
                                            std::to_string(size) + " bytes";
  if (more) return path + " changed while it was read";
  return "";
}

}  // namespace bplab
