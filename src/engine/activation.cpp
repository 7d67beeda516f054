// Names of the engine's choices, read from the tables of activation.hpp and cost.hpp.
#include "activation.hpp"

#include <iterator>

#include "cost.hpp"

namespace bplab {

static_assert(std::size(kActivations) == size_t(Activation::Softplus) + 1, "one row per Activation value");
static_assert(std::size(kCosts) == size_t(Cost::LogLikelihood) + 1, "one row per Cost value");

const char* to_string(Activation a) { return size_t(a) < std::size(kActivations) ? describe(a).name : "?"; }
const char* to_string(Cost c) { return size_t(c) < std::size(kCosts) ? describe(c).name : "?"; }
const char* to_string(Init i) { return i == Init::Large ? "large" : "scaled"; }

bool parse(const std::string& name, Activation& out) {
  for (const ActivationDescription& d : kActivations)
    if (name == d.name) return out = d.id, true;
  return false;
}

bool parse(const std::string& name, Cost& out) {
  for (const CostDescription& d : kCosts)
    if (name == d.name) return out = d.id, true;
  return false;
}

bool parse(const std::string& name, Init& out) {
  for (Init i : {Init::Large, Init::Scaled})
    if (name == to_string(i)) return out = i, true;
  return false;
}

std::string activation_names(ActivationUse where, const char* separator) {
  std::string names;
  for (const ActivationDescription& d : kActivations)
    if (d.use & where) names += (names.empty() ? "" : separator) + std::string(d.name);
  return names;
}

std::string cost_names(bool sigmoid_output_only, const char* separator) {
  std::string names;
  for (const CostDescription& d : kCosts)
    if (!sigmoid_output_only || d.with_sigmoid_output) names += (names.empty() ? "" : separator) + std::string(d.name);
  return names;
}

}  // namespace bplab
