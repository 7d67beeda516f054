// My digits: the learner's own examples (a 28x28 input as the net sees it, and its label), the
// digits file that keeps them (docs/digits-format.md), and the training sets made of them.
// Pure C++ over the engine: no ImGui, so the training worker and the fuzz harness use it too.
//
// Index
// [SECTION] Examples and their checks
// [SECTION] The digits file
// [SECTION] Training data: MNIST, mine, or both
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/mnist.hpp"

namespace bplab::app {

// [SECTION] Examples and their checks

constexpr int kExamplePixels = 28 * 28;
// The most digits a learner's set holds (a class's merged files fit; 31 MB of floats).
constexpr int kMaxExamples = 10000;

struct Example {
  int label = 0;                                // 0..9
  std::array<float, kExamplePixels> pixels{};   // row-major, 0 background .. 1 ink (MNIST's polarity)
};

// "" if `label` is a digit, else what is wrong.
std::string check_label(double label);
// "" if there are exactly 784 pixels, each finite and in [0, 1], else what is wrong (the first one).
std::string check_pixels(const double* pixels, size_t count);

// [SECTION] The digits file
// Text, one digit a line (docs/digits-format.md):
//   bplab-digits 1
//   count N
//   <label> <784 pixel values in [0, 1]>     (N such lines)
constexpr int kDigitsFileVersion = 1;

std::string write_digits(const std::vector<Example>& examples);
// Reads a digits file whole: "" and the digits appended to *out, or what is wrong (the first
// problem, with its line) and *out unchanged. `room` is how many more digits *out may take: a
// file of more is refused whole.
std::string read_digits(std::string_view text, size_t room, std::vector<Example>* out);

// [SECTION] Training data: MNIST, mine, or both

enum class TrainData { Mnist, Mine, Both };
const char* to_string(TrainData d);            // "mnist", "mine", "both"
bool parse(std::string_view text, TrainData& d);

// What a run trains on: MNIST's first `mnist_count` training images (-1: all of them) and/or
// each kept digit `repeats` times.
struct TrainMix {
  TrainData data = TrainData::Mnist;
  int mnist_count = -1;
  int repeats = 1;
  bool operator==(const TrainMix& o) const {
    return data == o.data && mnist_count == o.mnist_count && repeats == o.repeats;
  }
};

// The kept digits as image bytes (round(v * 255), as MNIST stores them).
Dataset examples_dataset(const std::vector<Example>& examples);
// The set a run with `mix` trains on: the MNIST part first, then the kept digits, repeated.
Dataset training_mix(const Dataset& mnist, const Dataset& mine, const TrainMix& mix);
// A data set as the two IDX files (images, labels) MNIST comes in, to hand it to the worker.
void write_idx(const Dataset& d, std::vector<uint8_t>* images, std::vector<uint8_t>* labels);

}  // namespace bplab::app
