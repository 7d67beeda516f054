// A fully connected network as in chapter 1 of the book: `sizes` such as {784, 30, 10},
// weights w^l of shape (n_l, n_{l-1}) and biases b^l of shape (n_l).
//
// Index note: the book numbers layers from 1 (the input) to L. Our vectors skip the input
// layer, which has no weights, so weights[i] is the book's w^{i+2} and biases[i] is b^{i+2}
// (network.py uses the same convention).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activation.hpp"
#include "cost.hpp"
#include "rng.hpp"
#include "types.hpp"

namespace bplab {

// [SECTION] Limits: what hostile or broken input can make us allocate. Stated here once;
// the model text limits (model_io.hpp) and the trainer state's (trainer.hpp) derive from them,
// and docs/security.md lists them.
// Larger nets are refused: the app and the tool are for small nets (the app's largest,
// [784,1000,1000,1000,1000,10], has 3.8 M parameters).
constexpr int64_t kMaxParameters = 10'000'000;
constexpr int kMaxNetLayers = 100;  // layers, input and output included

template <typename S>
struct Network {
  std::vector<int> sizes;
  std::vector<Matrix<S>> weights;  // weights[i]: w^{i+2}, shape (sizes[i+1], sizes[i])
  std::vector<Vector<S>> biases;   // biases[i]:  b^{i+2}, shape (sizes[i+1])
  Activation hidden = Activation::Sigmoid;  // σ of every hidden layer
  Activation output = Activation::Sigmoid;  // σ of the output layer L
  Cost cost = Cost::Quadratic;

  int num_layers() const { return int(sizes.size()); }  // L, counting the input layer
  Activation activation_of(int i) const {  // activation of weights[i]'s layer
    return i + 2 == num_layers() ? output : hidden;
  }

  template <typename T>
  Network<T> cast() const {
    Network<T> n;
    n.sizes = sizes;
    n.hidden = hidden;
    n.output = output;
    n.cost = cost;
    for (const auto& w : weights) n.weights.push_back(w.template cast<T>());
    for (const auto& b : biases) n.biases.push_back(b.template cast<T>());
    return n;
  }
};

// An empty string when `sizes` describes a net we can build, else what is wrong with it
// (fewer than two or more than kMaxNetLayers layers, a size below 1, more than kMaxParameters
// parameters).
std::string check_sizes(const std::vector<int>& sizes);

// Counts weights and biases (0 if the count overflows).
int64_t parameter_count(const std::vector<int>& sizes);

// A net with random weights and biases: "large" draws everything from N(0, 1) (chapter 1);
// "scaled" draws weights from N(0, 1/n_in) and biases from N(0, 1) (chapter 3).
// Deterministic for a seed. `sizes` must pass check_sizes.
template <typename S>
Network<S> make_network(const std::vector<int>& sizes, Init init, uint64_t seed) {
  Network<S> net;
  net.sizes = sizes;
  Rng rng(seed);
  // The book draws the biases first, then the weights; we follow it.
  for (size_t i = 1; i < sizes.size(); ++i) {
    Vector<S> b(sizes[i]);
    for (Eigen::Index j = 0; j < b.size(); ++j) b(j) = S(rng.normal());
    net.biases.push_back(std::move(b));
  }
  for (size_t i = 1; i < sizes.size(); ++i) {
    const double scale = init == Init::Scaled ? 1.0 / std::sqrt(double(sizes[i - 1])) : 1.0;
    Matrix<S> w(sizes[i], sizes[i - 1]);
    for (Eigen::Index j = 0; j < w.rows(); ++j)
      for (Eigen::Index k = 0; k < w.cols(); ++k) w(j, k) = S(rng.normal() * scale);
    net.weights.push_back(std::move(w));
  }
  return net;
}

// An empty string when the net's shapes agree with its sizes and every number is finite.
template <typename S>
std::string check_network(const Network<S>& net) {
  if (std::string e = check_sizes(net.sizes); !e.empty()) return e;
  const size_t n = net.sizes.size() - 1;
  if (net.weights.size() != n || net.biases.size() != n) return "the number of weight or bias layers does not match sizes";
  for (size_t i = 0; i < n; ++i) {
    const std::string layer = "layer " + std::to_string(i + 2);
    if (net.weights[i].rows() != net.sizes[i + 1] || net.weights[i].cols() != net.sizes[i])
      return layer + ": weights have shape " + std::to_string(net.weights[i].rows()) + "x" +
             std::to_string(net.weights[i].cols()) + ", expected " + std::to_string(net.sizes[i + 1]) + "x" +
             std::to_string(net.sizes[i]);
    if (net.biases[i].size() != net.sizes[i + 1])
      return layer + ": " + std::to_string(net.biases[i].size()) + " biases, expected " + std::to_string(net.sizes[i + 1]);
    if (!net.weights[i].allFinite()) return layer + ": a weight is NaN or infinite";
    if (!net.biases[i].allFinite()) return layer + ": a bias is NaN or infinite";
  }
  if (!usable(net.hidden, kHiddenLayers)) return std::string(to_string(net.hidden)) + " is only available for the output layer";
  return "";
}

// a^L for one input x (a column vector of n_1 numbers).
template <typename S>
Vector<S> feedforward(const Network<S>& net, const Vector<S>& x) {
  Batch<S> a = x;
  for (size_t i = 0; i < net.weights.size(); ++i) {
    Batch<S> z = (net.weights[i] * a).colwise() + net.biases[i];
    activate<S>(net.activation_of(int(i)), z, a);
  }
  return a.col(0);
}

// The digit with the largest output activation.
template <typename S>
int argmax(const Vector<S>& v) {
  Eigen::Index i = 0;
  v.maxCoeff(&i);
  return int(i);
}

}  // namespace bplab
