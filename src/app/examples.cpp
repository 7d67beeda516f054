// My digits (see examples.hpp; the file format in docs/digits-format.md).
#include "app/examples.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bplab::app {

// [SECTION] Examples and their checks

std::string check_label(double label) {
  if (!(label >= 0 && label <= 9 && label == std::floor(label))) {
    char text[48];
    std::snprintf(text, sizeof text, "%.6g", label);
    return std::string("the label must be a digit 0-9, got ") + text;
  }
  return "";
}

std::string check_pixels(const double* pixels, size_t count) {
  if (count != size_t(kExamplePixels))
    return "a digit is 784 pixels (28x28), got " + std::to_string(count);
  for (size_t i = 0; i < count; ++i) {
    const double v = pixels[i];
    if (!(v >= 0 && v <= 1)) {
      char text[96];
      std::snprintf(text, sizeof text, "pixel %zu (row %zu, column %zu) is %.6g, not in [0, 1]", i, i / 28, i % 28, v);
      return text;
    }
  }
  return "";
}

// [SECTION] The digits file

namespace {

// The shortest of %.6g and %.9g that reads back as the same float.
void append_value(std::string& out, float v) {
  char text[32];
  if (v == 0) {
    out += '0';
    return;
  }
  std::snprintf(text, sizeof text, "%.6g", double(v));
  if (std::strtof(text, nullptr) != v) std::snprintf(text, sizeof text, "%.9g", double(v));
  out += text;
}

// Splits off the next line (without its \n or \r\n); false at the end of the text.
bool next_line(std::string_view& text, std::string_view* line) {
  if (text.empty()) return false;
  const size_t end = text.find('\n');
  *line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return true;
}

// A number in the file's own spelling (digits, '.', exponent; no spaces, "nan" or hex), as a double.
bool read_number(std::string_view token, double* v) {
  if (token.empty() || token.size() > 40) return false;
  for (char c : token)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  char buffer[48];
  std::memcpy(buffer, token.data(), token.size());
  buffer[token.size()] = '\0';
  char* end = nullptr;
  *v = std::strtod(buffer, &end);
  return end == buffer + token.size();
}

std::string at_line(size_t line, const std::string& what) { return "line " + std::to_string(line) + ": " + what; }

}  // namespace

std::string write_digits(const std::vector<Example>& examples) {
  std::string out = "bplab-digits " + std::to_string(kDigitsFileVersion) + "\ncount " +
                    std::to_string(examples.size()) + "\n";
  out.reserve(out.size() + examples.size() * kExamplePixels * 3);
  for (const Example& e : examples) {
    out += char('0' + e.label);
    for (float v : e.pixels) {
      out += ' ';
      append_value(out, v);
    }
    out += '\n';
  }
  return out;
}

std::string read_digits(std::string_view text, size_t room, std::vector<Example>* out) {
  const std::string what = "digits file refused: ";
  std::string_view line;
  if (!next_line(text, &line) || line.substr(0, 13) != "bplab-digits ")
    return what + "it does not begin with \"bplab-digits 1\" (not a Backprop Lab digits file)";
  double version = 0;
  if (!read_number(line.substr(13), &version) || version != std::floor(version) || version < 0)
    return what + "line 1: the version is not a whole number";
  if (version != kDigitsFileVersion)
    return what + "it is version " + std::string(line.substr(13, 12)) + "; this app reads version " +
           std::to_string(kDigitsFileVersion);
  double count = -1;
  if (!next_line(text, &line) || line.substr(0, 6) != "count " || !read_number(line.substr(6), &count) ||
      count < 0 || count != std::floor(count))
    return what + "line 2 must be \"count N\", the number of digits";
  if (count > double(room))
    return what + "it holds " + std::string(line.substr(6, 12)) + " digits and the set has room for " +
           std::to_string(room) + " more (at most " + std::to_string(kMaxExamples) + ")";
  std::vector<Example> read;
  read.reserve(size_t(count));
  std::vector<double> values(kExamplePixels);
  for (size_t n = 0; n < size_t(count); ++n) {
    const size_t number = n + 3;
    if (!next_line(text, &line))
      return what + "it is cut short: " + std::to_string(n) + " of " + std::to_string(size_t(count)) + " digits";
    Example e;
    size_t i = 0;  // tokens read on this line
    double label = -1;
    while (true) {
      const size_t space = line.find(' ');
      const std::string_view token = line.substr(0, space);
      double v = 0;
      if (!read_number(token, &v))
        return what + at_line(number, "\"" + std::string(token.substr(0, 16)) + "\" is not a number");
      if (i == 0) label = v;
      else if (i <= size_t(kExamplePixels)) values[i - 1] = v;
      ++i;
      if (space == std::string_view::npos) break;
      line.remove_prefix(space + 1);
    }
    if (std::string e_label = check_label(label); !e_label.empty()) return what + at_line(number, e_label);
    if (i - 1 != values.size())
      return what + at_line(number, "a digit is a label and 784 pixels, got " + std::to_string(i - 1) + " pixels");
    if (std::string e_pixels = check_pixels(values.data(), values.size()); !e_pixels.empty())
      return what + at_line(number, e_pixels);
    e.label = int(label);
    for (int k = 0; k < kExamplePixels; ++k) e.pixels[size_t(k)] = float(values[size_t(k)]);
    read.push_back(e);
  }
  while (next_line(text, &line))
    if (!line.empty()) return what + "there is more after the " + std::to_string(read.size()) + " digits it counts";
  out->insert(out->end(), read.begin(), read.end());
  return "";
}

// [SECTION] Training data: MNIST, mine, or both

const char* to_string(TrainData d) {
  switch (d) {
    case TrainData::Mnist: return "mnist";
    case TrainData::Mine: return "mine";
    case TrainData::Both: return "both";
  }
  return "mnist";
}

bool parse(std::string_view text, TrainData& d) {
  for (TrainData t : {TrainData::Mnist, TrainData::Mine, TrainData::Both})
    if (text == to_string(t)) {
      d = t;
      return true;
    }
  return false;
}

Dataset examples_dataset(const std::vector<Example>& examples) {
  Dataset d;
  d.rows = d.cols = 28;
  d.pixels.resize(kExamplePixels, Eigen::Index(examples.size()));
  d.labels.resize(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    for (int k = 0; k < kExamplePixels; ++k)
      d.pixels(k, Eigen::Index(i)) = uint8_t(std::lround(std::clamp(examples[i].pixels[size_t(k)], 0.0f, 1.0f) * 255));
    d.labels[i] = uint8_t(examples[i].label);
  }
  return d;
}

Dataset training_mix(const Dataset& mnist, const Dataset& mine, const TrainMix& mix) {
  const bool with_mnist = mix.data != TrainData::Mine, with_mine = mix.data != TrainData::Mnist;
  const int from_mnist = !with_mnist ? 0 : mix.mnist_count < 0 ? mnist.size() : std::min(mix.mnist_count, mnist.size());
  const int repeats = with_mine ? std::max(1, mix.repeats) : 0;
  const int n = from_mnist + mine.size() * repeats;
  Dataset d;
  d.rows = d.cols = 28;
  d.pixels.resize(kExamplePixels, n);
  d.labels.resize(size_t(n));
  if (from_mnist > 0) {
    d.pixels.leftCols(from_mnist) = mnist.pixels.leftCols(from_mnist);
    std::copy(mnist.labels.begin(), mnist.labels.begin() + from_mnist, d.labels.begin());
  }
  for (int r = 0; r < repeats; ++r) {
    const int at = from_mnist + r * mine.size();
    if (mine.size() == 0) break;
    d.pixels.middleCols(at, mine.size()) = mine.pixels;
    std::copy(mine.labels.begin(), mine.labels.end(), d.labels.begin() + at);
  }
  return d;
}

void write_idx(const Dataset& d, std::vector<uint8_t>* images, std::vector<uint8_t>* labels) {
  const auto be32 = [](std::vector<uint8_t>* out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out->push_back(uint8_t(v >> s));
  };
  images->clear();
  labels->clear();
  be32(images, 0x803);
  be32(images, uint32_t(d.size()));
  be32(images, uint32_t(d.rows));
  be32(images, uint32_t(d.cols));
  images->insert(images->end(), d.pixels.data(), d.pixels.data() + d.pixels.size());
  be32(labels, 0x801);
  be32(labels, uint32_t(d.size()));
  labels->insert(labels->end(), d.labels.begin(), d.labels.end());
}

}  // namespace bplab::app
