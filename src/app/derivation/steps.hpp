// The parts of the derivation screen: each step's code (one file a step, a row of kSteps in
// steps.cpp), the one-neuron view and the sketch.
#pragma once

#include <cmath>

#include "app/derivation/typeset.hpp"

namespace bplab::app::derivation {

// The steps, in the order of kSteps.
void step_definition(Out& o);
void step_chain(Out& o);
void step_jacobian(Out& o);
void step_bp1(Out& o);
void step_bp1a(Out& o);
void step_cost(Out& o);
double prepare_cost(DerivationView& v, double budget);
void step_bp2(Out& o);
void step_gradient(Out& o);
double prepare_gradient(DerivationView& v, double budget);
void step_descent(Out& o);
double prepare_descent(DerivationView& v, double budget);

// Why the chain rule has a sum: the paths z(j) → a(k) → C, bright where their term is not zero
// (the chain rule's step and the Jacobian's).
void dependency_paths(Out& o, int j);

// The "one neuron per layer" view: the numbers along one path, and the view.
struct OneNeuron {
  int h = 0, j = 0;
  double dz_dw = 0, da_dz = 0, dC_da = 0, product = 0, backprop = 0, measured = NAN;
  bool agree = false;
};
OneNeuron one_neuron_numbers(const DerivationView& v);
void one_neuron_panel(Out& o);

// The net as columns of circles, the input as its image. Neuron j of the output layer and
// whatever the mouse is on are highlighted; hovering a neuron reports its tag.
void draw_sketch(DerivationView& v, float width, float height);

}  // namespace bplab::app::derivation
