// Opening files we are given (model files, MNIST files, a CLI's --input): only regular files.
// A FIFO would block open() or read() forever, a directory reads as nonsense sizes
// (9223372036854775807 bytes), a device may never end.
#pragma once

#include <cstdint>
#include <string>

namespace bplab {

// "" if `path` names a regular file (symbolic links followed), and its size in *size;
// else a message that names the path once: "cannot open X: No such file or directory",
// "X is a directory, not a file", "X is not a regular file (a FIFO, socket or device)".
std::string check_regular_file(const std::string& path, uint64_t* size = nullptr);
// The same without the path: "" or "No such file or directory", "a directory, not a file", ...
std::string regular_file_problem(const std::string& path, uint64_t* size = nullptr);

// Reads a whole regular file into *text; refuses files over max_bytes before reading.
// Returns "" or a message that names the path once.
std::string read_regular_file(const std::string& path, uint64_t max_bytes, std::string* text);

}  // namespace bplab
