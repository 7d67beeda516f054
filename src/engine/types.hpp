// Matrix types and the network's settings, shared by every part of the engine.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>

namespace bplab {

// Weights are stored row-major: row j of w^l holds w^l_{jk} for every k in layer l-1,
// as the book writes them and as network2.py's JSON lists them.
template <typename S>
using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename S>
using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
// A mini-batch: one example per column (column-major, so each example is contiguous).
template <typename S>
using Batch = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

// An image byte as the net's input: 0 (white) .. 255 (black) becomes byte / 255 in [0, 1], as
// the book's mnist_loader gives it.
constexpr float pixel_value(uint8_t byte) { return float(byte) / 255.0f; }

// Each activation and cost is described once, with its functions and names, in the tables of
// activation.hpp (kActivations) and cost.hpp (kCosts), in the order of these values.
enum class Activation { Sigmoid, Tanh, ReLU, Softmax, Softplus };
enum class Cost { Quadratic, CrossEntropy, LogLikelihood };
enum class Init { Large, Scaled };

// Names as the command line and the app spell them ("sigmoid", "cross-entropy", "scaled").
const char* to_string(Activation a);
const char* to_string(Cost c);
const char* to_string(Init i);
// Parse a name; returns false (and leaves `out` alone) for an unknown one.
bool parse(const std::string& name, Activation& out);
bool parse(const std::string& name, Cost& out);
bool parse(const std::string& name, Init& out);

}  // namespace bplab
