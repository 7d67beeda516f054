// Reading and writing a network as JSON, in the format of the book's network2.py:
//
//   {"sizes": [784, 30, 10],
//    "weights": [ w^2 as 30 lists of 784 numbers, w^3 as 10 lists of 30 numbers ],
//    "biases":  [ b^2 as 30 lists of one number [[b1], [b2], ...], b^3 likewise ],
//    "cost": "CrossEntropyCost"}
//
// network2.py's save() writes exactly these four fields (json.dump of w.tolist() and
// b.tolist(), so biases are n x 1 lists of lists), and its load() reads them. We add two
// fields that the book's load() ignores:
//   "activation": the hidden layers' σ, "sigmoid" | "tanh" | "relu"   (missing: "sigmoid")
//   "output":     the output layer's σ, "sigmoid" | "softmax"         (missing: "sigmoid")
// and accept "LogLikelihoodCost" (chapter 3's softmax + log-likelihood) besides the book's
// "QuadraticCost" and "CrossEntropyCost". Any other field is refused, so that a misspelt
// "activaton" cannot silently load a sigmoid net.
//
// A file the book wrote loads here; a sigmoid net we write loads in the book's code.
#pragma once

#include <string>
#include <string_view>

#include "network.hpp"

namespace bplab {

struct LoadResult {
  Network<double> net;  // use net.cast<float>() for a float net
  std::string error;    // empty on success, else what is wrong, naming the field
  bool ok() const { return error.empty(); }
};

// The limits on a model's text, derived from kMaxParameters (network.hpp): what a net of
// that many parameters needs when written by model_to_json (at most ~26 bytes a number,
// "-1.2345678901234567e-05, "), and JSON values (each number, each row, each bias's [ ]).
// A text past either limit is refused before its numbers are read, so a 3 KB text cannot
// make us allocate more than the JSON tree of its 3 KB.
constexpr long long kMaxModelTextBytes = 32 * kMaxParameters;  // 320 MB
constexpr size_t kMaxModelValues = size_t(2 * kMaxParameters) + 4 * size_t(kMaxNetLayers) + 64;

// Reads a model from JSON text. Shapes, numbers and names are all checked, the text's size
// and sizes (and the parameter limit) before anything is allocated; the result passes
// check_network().
LoadResult read_model_json(std::string_view text);

// Reads a model file (see read_model_json). Only regular files are read (a FIFO or a
// directory is refused); files over kMaxModelTextBytes are refused before reading.
LoadResult load_model_file(const std::string& path);

// The JSON text of a net, on one line as json.dump writes it. Doubles are written with the
// shortest text that reads back bit for bit, floats likewise with at most 9 digits.
// Returns "" and sets *error if the net fails check_network() (e.g. NaN weights) or uses
// settings the format cannot hold (a tanh output layer, say).
std::string model_to_json(const Network<double>& net, std::string* error = nullptr);
std::string model_to_json(const Network<float>& net, std::string* error = nullptr);

// Writes model_to_json(net) to `path`: first to a temporary file beside it, then renamed
// over `path`, so a failed save never leaves a half-written file or destroys the old one.
// Returns false and sets *error (if given) on failure; a net with NaN or inf is refused.
bool save_model_file(const std::string& path, const Network<double>& net, std::string* error = nullptr);
bool save_model_file(const std::string& path, const Network<float>& net, std::string* error = nullptr);

// The format's names: "QuadraticCost", "CrossEntropyCost", "LogLikelihoodCost".
const char* cost_class_name(Cost c);

}  // namespace bplab
