// The derivation screen: BP1 from the definition of the error (29) by the chain rule, then
// BP2–BP4 and one step of gradient descent, on the numbers of one example (the learner's
// own digit). The contract between the app (app.cpp) and the screen (derivation.cpp).
#pragma once

#include <string>

#include "engine/json.hpp"
#include "engine/network.hpp"

namespace bplab::app {

struct DerivationView;  // the screen's own state: step, neuron, cost/output toggles, bug switches, ...

DerivationView* create_derivation();
void destroy_derivation(DerivationView* view);

// Draws the screen into the current ImGui window, for `net` (the app's current model, in
// double) and one example: input x (n_1 numbers in [0, 1]) and its label (or the predicted
// digit when the learner drew it). Never changes `net`.
void draw_derivation(DerivationView& view, const Network<double>& net, const Vector<double>& x, int label);

// state().derivation for the page: {step, layer, neuron, cost, output, values: {z, a, y, dC_da,
// sigma_prime, delta_bp1, delta_definition, relative_error}, jacobian: [[10 numbers] x 10]}.
json::Value derivation_state(const DerivationView& view);

// setDerivation({step, neuron, cost, output}): every field optional. Returns "" or a message
// naming the first bad field (the view is left unchanged then).
std::string set_derivation(DerivationView& view, const json::Value& args);

// The current step as HTML text with MathML, for the page's accessible transcript region
// (screen readers cannot read the canvas). Every number and name in it is escaped.
std::string derivation_transcript(const DerivationView& view);

}  // namespace bplab::app
