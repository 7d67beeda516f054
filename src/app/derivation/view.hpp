// What every file of the derivation screen shares: the view (what the URL and setDerivation
// change, and what is cached), the numbers of one digit, the checks against finite differences,
// and the two tables the screen is made of, the steps (steps.cpp) and the bugs (bugs.cpp).
//
// Index note: as in the engine, t.z[i] is the book's z^{i+2}; the output layer L is index
// `last` = L − 2. Output neuron j is the one the learner follows (default: the label).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "engine/backprop.hpp"

namespace bplab::app {

namespace derivation {

// A shown number agrees with its measurement when they differ by less than this fraction of the
// scale of their layer (see Check).
constexpr double kCheckTolerance = 1e-6;
// What the finite differences can resolve: the five-point stencil with h = 1e-3 turns the
// rounding error of each cost (a few ε times the size of its terms) into 1.5 × that / h: up to a
// few 1e-12 on MNIST digits (measured: 3.8e-12 for a cross-entropy net's first-layer weight).
// A difference smaller than kFdResolution·max(1, |C|) cannot be seen, so no scale is smaller
// than that divided by the tolerance.
constexpr double kFdResolution = 1e-11;

// One comparison the screen shows: a number backprop (or a formula) gives against what finite
// differences measure. error = |shown − measured| / scale with scale = the larger of |shown| and
// |measured|, but never below what the finite differences resolve divided by the tolerance: a
// tiny number cannot pass by being tiny (0 against 10⁻⁷ is an error of 0.1, not 10⁻³), and
// rounding noise of the stencil (about 10⁻¹² |C|) cannot fail a right formula.
struct Check {
  std::string what;
  double shown = 0, measured = 0, error = 0, scale = 0;
  bool agree = false;
  bool pending = false;   // not measured yet (a big net's finite differences take several frames)
  bool infinite = false;  // the cost is infinite (a saturated output): nothing can be measured
  std::string scale_name; // "the larger of the two" or "the finite differences' resolution"
};
Check make_check(std::string what, double shown, double measured, double cost);
Check pending_check(std::string what, double shown);

// A finite-difference measurement waiting to be made: ∂C/∂z^l_j (k < 0) or ∂C/∂w^l_{jk}, for
// z[i] / weights[i]. Both nudge z^l_j (a weight w_{jk} by h moves z_j by h a_k exactly), then
// run the rest of the forward pass from there.
struct Measure {
  int i = 0, j = 0, k = -1;
};

// Everything computed from (model, input, label, toggles). Recomputed only when its key changes;
// a step's own numbers are computed by its file when it first needs them.
struct Numbers {
  bool valid = false;
  uint64_t key = 0;                 // hash of the model, the input, the label and the toggles
  uint64_t toggles_key = 0;         // hash of the toggles alone
  uint64_t input_key = 0;           // hash of the input alone (the learner's label belongs to it)
  Network<double> net;              // the app's model with the screen's cost and output
  Activation model_output = Activation::Sigmoid;
  Cost model_cost = Cost::Quadratic;
  Vector<double> x;
  int label = 0;
  const char* label_source = "mnist";
  int prediction = 0;               // the net's own guess for this input
  int L = 0, last = 0, nL = 0;      // book's L, index of the output layer, its size
  Trace<double> t;                  // the engine's backprop: BP1–BP4
  Trace<double> tb;                 // with the injected bug (equal to t without one)
  Matrix<double> jac;               // J(k, j) = ∂a^L_k/∂z^L_j
  // Finite differences, a slice at a time: every δ (output layer first), then sampled weights.
  std::vector<Measure> queue;
  std::vector<int> first_of_layer;  // queue index of δ^l_0 for z[i]
  size_t done = 0;                  // queue[0, done) measured
  size_t weights_from = 0;          // queue index of the first weight (queue.size() if none queued)
  std::vector<Vector<double>> delta_def;  // δ by definition (29), every layer
  Vector<double> c_plus, c_minus;   // C with z^L_j nudged by ±h (step 1's central difference)
  Check worst_delta, worst_w;       // the furthest off of tb's δ and of the sampled ∂C/∂w
  bool weights_queued = false;
  double last_slice = 0;
  // The cost step (step_cost.cpp): δ^L of this digit with each cost of the engine's kCosts.
  std::vector<Vector<double>> delta_by_cost;
  // Gradient descent (step_descent.cpp): the cost after w → w − η g, for the right gradient and
  // the buggy one, over η.
  bool descent_ready = false;
  double eta = 0, c_after = 0, c_after_right = 0, predicted = 0, grad_norm2 = 0, grad_norm2_right = 0;
  std::vector<double> sweep_eta, sweep_right, sweep_bug;  // actual / predicted ΔC
  bool swept = false;
};

// What the URL and setDerivation change (and the screen's own controls): the learner's choices.
struct ViewSettings {
  int step = 1;                     // 1 = kSteps[0]
  int neuron = -1;                  // output neuron j; −1 follows the label
  int hidden = -1;                  // BP2's hidden neuron; −1: the one with the largest |δ|
  std::optional<Cost> cost;         // unset: the model's own
  std::optional<Activation> output; // unset: the model's own (sigmoid or softmax only)
  int bug = 0;                      // index into kBugs; 0: none
  bool one_neuron = false;          // "one neuron per layer" mode
  float eta = 0.01f;                // gradient descent's learning rate ("apply" and the marked point of the sweep)
  int learner_label = -1;           // the learner's y for the input `learner_label_for` (−1: none)
  uint64_t learner_label_for = 0;
};

struct Out;  // what a step writes to: typeset.hpp

// One step of the derivation: a row of kSteps (steps.cpp), its code in its own file.
struct Step {
  const char* id;                 // a name for code and tests ("definition")
  const char* title;              // the step bar, the transcript
  const char* shows;              // what the step shows, in a sentence
  bool follows_output_neuron;     // about output neuron j (the options offer it; else j is not used)
  bool follows_hidden_neuron;     // about a hidden neuron (the sketch rings it)
  bool one_neuron_view;           // the "one neuron per layer" view stands before it when on
  // Called by every update while the step is shown, after the numbers are up to date: makes what
  // the step needs beyond them, `budget` multiply-adds of forward passes at most (< 0: all of
  // it); returns what it spent. nullptr: nothing.
  double (*prepare)(DerivationView& v, double budget);
  void (*draw)(Out& o);           // to the screen, the transcript or state()'s checks
};
extern const Step kSteps[];
extern const int kStepCount;

// How an injected bug changes a σ′ factor: the right σ′(z), σ′(a), or 1 (dropped).
enum class SigmaPrime { OfZ, OfA, One };

// A classic mistake, injected on purpose so that the screen can show its checks catching it: a
// row of kBugs (bugs.cpp). They live here, not in the engine: the engine's backprop() is the
// book's, and only that.
struct Bug {
  const char* id;    // the URL's and setDerivation's value, state()'s
  const char* name;  // the screen's
  // How it is applied: the factors as the buggy code computes them.
  SigmaPrime output_sigma_prime;  // BP1's σ′ (an elementwise output)
  SigmaPrime hidden_sigma_prime;  // BP2's σ′
  bool a_minus_y;                 // BP1's first factor is a − y whatever the cost (an elementwise output)
  bool no_transpose;              // BP2 with w^{l+1} where it needs (w^{l+1})ᵀ
  // What it does to BP1 and BP2, in words, for neuron j on the screen's numbers ("" or nullptr:
  // nothing). BP1's is for an elementwise output.
  std::string (*on_bp1)(const DerivationView& v, int j);
  std::string (*on_bp2)(const DerivationView& v, int j);
  bool changes_bp1() const { return output_sigma_prime != SigmaPrime::OfZ || a_minus_y; }
};
extern const Bug kBugs[];
extern const int kBugCount;

}  // namespace derivation

struct DerivationView : derivation::ViewSettings {
  // What the screen caches and its interaction from frame to frame.
  std::optional<Network<double>> applied;  // gradient descent's "Apply this step", until the app takes it
  std::string applied_what;         // its name for Undo
  std::string last_applied;         // the name of the last step applied from here (its Undo, while it is the latest change)
  double accuracy_before = -1;      // the model's test accuracy when that step was applied
  DerivationModelInfo model_info;   // from the app, each frame
  bool undo_requested = false;      // the step's Undo button, until the app takes it
  int pick_j = -1, pick_k = -1;     // the gradient step: the weight w^2_{jk} checked (k = −1: the bias b^2_j)
  bool picked_by_learner = false;   // clicked (else the default, which follows the digit and net)
  uint64_t default_pick_for = 0;    // the numbers' key the default pick was chosen for
  double pick_fd = 0;
  uint64_t pick_key = 0;
  double last_update = -1e9;        // ImGui time of the last recompute while drawing
  int highlight = -1;               // tag under the mouse last frame (sketch ↔ symbols)
  int hover_next = -1;
  derivation::Numbers n;
  TextureMaker texture;             // the platform's (set_derivation_textures), or none
  std::uintptr_t gradient_texture = 0;  // the gradient step's images, 10 tiles to a row
  uint64_t gradient_texture_for = 0;    // the numbers' key (and image count) it was made for
};

namespace derivation {

inline const Step& step_of(const DerivationView& v) { return kSteps[v.step - 1]; }
inline const Bug& bug_of(const DerivationView& v) { return kBugs[v.bug]; }
inline bool bug_injected(const DerivationView& v) { return v.bug != 0; }
// The step number (1, 2, …) of a step's id, for prose that points at another step.
int step_number(const char* id);

// Whether δ of z[i](j), or every δ of z[i], has been measured yet.
inline bool measured(const Numbers& n, int i, int j) { return n.done > size_t(n.first_of_layer[i] + j); }
inline bool layer_measured(const Numbers& n, int i) { return n.done >= size_t(n.first_of_layer[i] + n.t.z[i].size()); }
// `shown` against the measured δ of z[i](j).
Check delta_check(const Numbers& n, std::string what, double shown_value, int i, int j);

int output_neuron(const DerivationView& v);
int hidden_neuron(const DerivationView& v);  // −1 without a hidden layer
// What the gradient step's finite difference (pick_fd) was computed for.
uint64_t pick_key_of(const DerivationView& v);

// ∂a^L_j/∂z^L_j as the (buggy) code computes it: σ′(z_j) for an elementwise output (σ′(a_j), 1
// with the bugs), the Jacobian's diagonal a_j(1 − a_j) for softmax.
double sigma_prime_shown(const DerivationView& v, int j);
// The first factor of BP1 as the (buggy) code computes it: ∂C/∂a_j, or a_j − y_j with a bug
// that puts a − y where ∂C/∂a belongs.
double dC_da_shown(const DerivationView& v, int j);
// The injected bug's effect on BP1 / BP2 for neuron j, in words (empty when it has none there).
std::string bp1_bug_note(const DerivationView& v, int j);
std::string bp2_bug_note(const DerivationView& v, int j);
// Backprop with the bug: the engine's trace, then BP1 and BP2 done again the wrong way, then BP3
// and BP4 from the wrong δ.
Trace<double> backprop_with_bug(const Network<double>& net, const Vector<double>& x, int label, const Bug& bug);

// C with z^l_j (l = i + 2) moved by `nudge`, running the forward pass from layer l on.
double cost_nudged(const Numbers& n, int i, int j, double nudge);
// Queues the gradient check's weights (every weight of the output layer, the three strongest
// inputs of every other neuron), once; whether all of them have been measured.
void queue_weights(Numbers& n);
bool weights_checked(const Numbers& n);
// Recomputes v.n when (net, x, label, toggles) changed, then measures what is due and prepares
// the step shown. now < 0: always, and `work` multiply-adds of measuring (< 0: everything); else
// skips a change of the model or the input that comes sooner than a quarter of a second after
// the last one, and works one slice.
void update(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source, double now,
            uint64_t net_key = 0, double work = -1);
// Measures every δ and sampled weight still to be measured.
void finish_gradient_check(Numbers& n);
// The gradient check's verdict: the furthest off of the δ and the sampled weights.
inline const Check& worst_check(const Numbers& n) {
  return n.worst_w.infinite || n.worst_w.error >= n.worst_delta.error ? n.worst_w : n.worst_delta;
}

}  // namespace derivation

}  // namespace bplab::app
