#include "activation.hpp"

namespace bplab {

const char* to_string(Activation a) {
  switch (a) {
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Tanh: return "tanh";
    case Activation::ReLU: return "relu";
    case Activation::Softmax: return "softmax";
  }
  return "?";
}

const char* to_string(Cost c) {
  switch (c) {
    case Cost::Quadratic: return "quadratic";
    case Cost::CrossEntropy: return "cross-entropy";
    case Cost::LogLikelihood: return "log-likelihood";
  }
  return "?";
}

const char* to_string(Init i) { return i == Init::Large ? "large" : "scaled"; }

bool parse(const std::string& name, Activation& out) {
  for (Activation a : {Activation::Sigmoid, Activation::Tanh, Activation::ReLU, Activation::Softmax})
    if (name == to_string(a)) return out = a, true;
  return false;
}

bool parse(const std::string& name, Cost& out) {
  for (Cost c : {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood})
    if (name == to_string(c)) return out = c, true;
  return false;
}

bool parse(const std::string& name, Init& out) {
  for (Init i : {Init::Large, Init::Scaled})
    if (name == to_string(i)) return out = i, true;
  return false;
}

}  // namespace bplab
