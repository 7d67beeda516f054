// The derivation's steps, in order: a step is one row here and its file (step_*.cpp). The step
// bar, the URL's `step`, setDerivation, the transcript and state() all read this table.
#include <cstring>
#include <iterator>

#include "app/derivation/steps.hpp"
#ifdef BPLAB_DERIVATION_EXTRA_ROWS
#include "derivation_extra_rows.hpp"  // a test build's row more (tests/app)
#endif

namespace bplab::app::derivation {

const Step kSteps[] = {
    // id, title, what it shows,
    //   follows output neuron j, follows a hidden neuron, one-neuron view before it, prepare, draw
    {"definition", "The definition of δ",
     "δ of an output neuron is a derivative we can measure: nudge its z both ways and compare the costs.",
     true, false, true, nullptr, step_definition},
    {"chain", "The chain rule",
     "δ as a sum over the outputs by the chain rule, every term on this digit, and the paths that carry one.",
     true, false, true, nullptr, step_chain},
    {"jacobian", "The Jacobian: does the sum collapse?",
     "The output layer's Jacobian: diagonal for a sigmoid output, so the sum collapses to BP1; dense for softmax.",
     true, false, true, nullptr, step_jacobian},
    {"bp1", "BP1, one neuron",
     "BP1's two factors for the followed neuron, as the code computes them, against the measured δ.",
     true, false, true, nullptr, step_bp1},
    {"bp1a", "BP1 for the whole layer",
     "BP1 in matrix form: every output neuron at once, each against its measured δ.",
     true, false, true, nullptr, step_bp1a},
    {"cost", "The cost's own form",
     "How BP1 simplifies for each cost, and this digit's δ with each of them.",
     true, false, true, prepare_cost, step_cost},
    {"bp2", "BP2: the error of a hidden neuron",
     "BP2 by the chain rule: a hidden neuron's δ from the errors of the next layer, against its measured δ.",
     false, true, true, nullptr, step_bp2},
    {"gradient", "BP3 and BP4: the gradient",
     "The gradient of the first layer's weights as images, and one weight checked by finite differences.",
     false, false, false, prepare_gradient, step_gradient},
    {"descent", "One step of gradient descent",
     "One step against the gradient on this digit: the predicted and the actual change of the cost, over η.",
     false, false, false, prepare_descent, step_descent},
#ifdef BPLAB_DERIVATION_EXTRA_ROWS
    kExtraStep,
#endif
};
const int kStepCount = int(std::size(kSteps));

int step_number(const char* id) {
  for (int s = 0; s < kStepCount; ++s)
    if (std::strcmp(kSteps[s].id, id) == 0) return s + 1;
  return 0;
}

}  // namespace bplab::app::derivation
