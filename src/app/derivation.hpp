// The derivation screen: BP1 from the definition of the error (29) by the chain rule, then
// BP2–BP4 and one step of gradient descent, on the numbers of one example (the learner's
// own digit). The contract between the app (app.cpp) and the screen (src/app/derivation/).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/network.hpp"

namespace bplab::app {

struct DerivationView;  // the screen's own state: step, neuron, cost/output toggles, bug switches, ...

DerivationView* create_derivation();
void destroy_derivation(DerivationView* view);

// Images as textures, made by the platform as app.hpp's Options::texture says (make or update
// `id`, or delete it when w = 0). Without it, the screen draws its images a quad a pixel.
using TextureMaker = std::function<std::uintptr_t(std::uintptr_t id, int w, int h, const unsigned char* rgba, bool smooth)>;
void set_derivation_textures(DerivationView& view, TextureMaker maker);

// Draws the screen into the current ImGui window, for `net` (the app's current model, in
// double) and one example: input x (n_1 numbers in [0, 1]) and its label (or the predicted
// digit when the learner drew it). Never changes `net`.
// Where the label comes from: an MNIST digit's own, or the net's prediction for a drawing (the
// learner can set another with setDerivation({label}); the screen says which y it uses).
// `net_key`: a hash of net's numbers the caller already has (model_in_double's), or 0 to have
// them hashed here, which for the largest net (30 MB) was a quarter of every frame.
enum class LabelSource { Mnist, Prediction, Learner };  // Learner: the label the learner gave the digit
void draw_derivation(DerivationView& view, const Network<double>& net, const Vector<double>& x, int label,
                     LabelSource source = LabelSource::Mnist, uint64_t net_key = 0);

// Brings the view's numbers up to date for (net, x, label) without drawing: draw_derivation
// calls it every frame; tests call it directly. Recomputes only when the model, the input, the
// label or a toggle changed (a hash of all of them), so a frame costs little. While the model or
// the input changes every frame (training, drawing), draw_derivation follows at most 4 times a
// second; update_derivation always brings the numbers up to date.
// The finite differences (4 forward passes for every δ and checked weight) are done a slice at
// a time while drawing (at most kDerivationWorkPerSlice multiply-adds of forward passes a frame,
// values not yet measured shown as "checking…"); update_derivation finishes them, or measures
// `work` multiply-adds of them (work >= 0), the rest pending for the frames to measure.
// `net_key`: a key of the net's weights, as draw_derivation's (0: the weights are hashed here).
void update_derivation(DerivationView& view, const Network<double>& net, const Vector<double>& x, int label,
                       LabelSource source = LabelSource::Mnist, double work = -1, uint64_t net_key = 0);

// Step 9's "Apply this step": the model after one step of gradient descent on this digit (the
// gradient the screen shows, with the injected bug if any), once, for the app to adopt; else
// nothing. Offered only where the screen's net is the model (its own cost and output); with a
// bug only as "Apply the buggy step (this damages the net)". `what`: the change's name for Undo.
std::optional<Network<double>> take_applied_step(DerivationView& view, std::string* what = nullptr);
// What the app tells the screen of its model each frame: the latest test accuracy (negative:
// not measured yet) and what Undo would undo ("" when nothing). Step 9 shows the accuracy before
// and after a step it applied, and an Undo button; take_undo_request says it was pressed (once).
struct DerivationModelInfo {
  double test_accuracy = -1;
  std::string undo;
};
void set_derivation_model_info(DerivationView& view, DerivationModelInfo info);
bool take_undo_request(DerivationView& view);

// In double precision, without the float kernels' SIMD, 2e7 multiply-adds took 60-100 ms a frame
// in WebAssembly. 8e6 is a little more than the smallest piece of work, one point of step 9's
// sweep for the largest net (two forward passes, 7.6e6).
constexpr double kDerivationWorkPerSlice = 8e6;
// What a page command may spend measuring before it returns (app_command): every check of
// [784,30,10], with a bug injected, in a fraction of a second; on a big net the rest of them
// stay pending (state().derivation.progress) and the frames measure them a slice at a time.
constexpr double kDerivationWorkPerCommand = 2e8;
struct DerivationProgress {
  long done = 0, total = 0;  // finite-difference measurements made, and queued
  double last_slice = 0;     // multiply-adds of forward passes in the last slice (one frame)
};
DerivationProgress derivation_progress(const DerivationView& view);

// The screen's gradient check of the backprop it shows (with the injected bug, if any): the
// largest relative error between backprop's δ (= ∂C/∂b, BP3), ∂C/∂w and finite differences, over
// every δ and a sample of weights (all of the output layer's, the three strongest inputs of
// every other neuron), each relative to the larger of the two numbers but never to less than
// 1e-5 max(1, |C|) (the finite differences' resolution over the tolerance). Below 1e-6 the
// check passes; ∞ when the cost is infinite. Finishes the finite differences; needs
// update_derivation first (0 before).
double derivation_gradient_check(DerivationView& view);

// state().derivation for the page: {step, steps (how many there are), layer, neuron, cost, output, label (the y in use),
// labelSource ("mnist", "learner" or "prediction"), bug,
// checks: [{what, shown, measured, error, scale, agree, pending}] (every comparison the step
// shows, in screen order; measured and error null while pending or where the cost is infinite),
// products: [{factors: [text], result: text, digits}] (every product the step writes out),
// one_neuron: {h, j, dz_dw, da_dz, dC_da, product, backprop, measured, agree} or null,
// values: {z, a, y, dC_da, sigma_prime, delta_bp1, delta_definition, relative_error},
// jacobian: [[10 numbers] x 10], checked: {j, k, backprop, differences}, progress: {done, total},
// sweep (step 9): {eta: [...], right: [...], shown: [...]} (actual/predicted ΔC per η)}:
// `checked` is step 8's gradient of w^2_{jk} (k null: of the bias b^2_j) by backprop and by
// finite differences, null until step 8 has shown it.
json::Value derivation_state(const DerivationView& view);

// setDerivation({step, neuron, cost, output, hidden, bug, one_neuron, eta, label}): every field
// optional; label (0–9, or null for the default) is the learner's y for the current digit.
// Returns "" or a message naming the first bad field (the view is left unchanged then).
std::string set_derivation(DerivationView& view, const json::Value& args);

// The derivation's steps and its injectable bugs, as their tables (derivation/steps.cpp,
// derivation/bugs.cpp) list them: the steps are numbered from 1 in that order; the bugs' ids
// are setDerivation's and the URL's `bug` values, "none" first.
int derivation_step_count();
struct DerivationStepInfo {
  const char* id;                 // "definition", "chain", …
  const char* title;              // as the step bar shows it
  const char* shows;              // what the step shows, in a sentence
  bool follows_output_neuron;     // about output neuron j (setDerivation's `neuron`)
  bool one_neuron_view;           // the one-neuron view stands before it when on
};
DerivationStepInfo derivation_step(int step);  // 1 … derivation_step_count()
std::vector<std::string> derivation_bug_ids();

// "Predict first" (setDerivation({quiz: true})): answers the shown step's question with choice
// `choice` as Check does ("" or why not: the quiz is off, the step asks nothing, answered or
// shown already, no such choice); or shows its numbers without an answer, as "Show me" does.
std::string answer_derivation_quiz(DerivationView& view, int choice);
void show_derivation_answer(DerivationView& view);

// The current step as HTML text with MathML, for the page's accessible transcript region
// (screen readers cannot read the canvas). Every number and name in it is escaped.
std::string derivation_transcript(const DerivationView& view);

}  // namespace bplab::app
