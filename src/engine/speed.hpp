// The speed of learning of each hidden layer, the book's chapter 5 ("the vanishing gradient
// problem"): for hidden layer l, ‖(1/n) Σ_x ∂C_x/∂b^l‖ over the first n training examples
// (n = 1000 in the book's figure script, which averages network2.py's backprop bias gradients
// over training_data[:1000]). By BP3 ∂C_x/∂b^l = δ^{x,l}, so this is the length of the mean
// error δ^l of the layer; BP2 makes it a product of σ′ and weights, layer after layer, which
// is why the first hidden layers of a deep sigmoid net learn so much slower than the last.
//
// In double precision, with δ^L as network2.py computes it for the net's cost (a − y for
// cross-entropy with a sigmoid output, BP1 as written otherwise). The examples can be added in
// chunks (SpeedOfLearning::add), so that an app spreads the work over frames.
#pragma once

#include <cstdint>
#include <vector>

#include "backprop.hpp"
#include "network.hpp"
#include "trainer.hpp"

namespace bplab {

constexpr int kSpeedExamples = 1000;  // the book's n

class SpeedOfLearning {
 public:
  // Over the first min(n, data.count) examples of `data` (n ≥ 1), for a copy of `net` in double.
  SpeedOfLearning(const Network<double>& net, DataView data, int n = kSpeedExamples);
  // A float net is made double one layer per add(), not here: for the largest nets the copy
  // alone is a frame's work.
  SpeedOfLearning(Network<float> net, DataView data, int n = kSpeedExamples);

  // Adds up to `max_examples` more examples (at least one), or, while a float net's double copy
  // is being made, one more layer of it; true once all are in.
  bool add(int max_examples);
  bool done() const { return position_ >= n_; }
  int examples() const { return n_; }
  int position() const { return position_; }
  const std::vector<int>& sizes() const { return net_.sizes; }

  // ‖(1/n) Σ_x ∂C_x/∂b^l‖ for the hidden layers l = 2, …, L − 1 in order (none for a net
  // without hidden layers). Meaningful once done().
  std::vector<double> speeds() const;
  // (1/n) Σ_x ∂C_x/∂b^l for every layer l = 2, …, L (index i is layer i + 2).
  std::vector<Vector<double>> mean_nabla_b() const;

 private:
  void zero_sums();  // sum_ for net_.sizes

  Network<double> net_;
  Network<float> source_;  // a float net's layers not yet in net_ (the first ones go first)
  DataView data_;
  int n_ = 0, position_ = 0;
  std::vector<Vector<double>> sum_;  // Σ_x δ^{x,l}, layer i + 2
};

// The speeds of `net` on the first n examples of `data`, all at once.
std::vector<double> speed_of_learning(const Network<double>& net, DataView data, int n = kSpeedExamples);

// Multiply-adds one example costs (a forward pass and BP2 down to the first hidden layer): for
// choosing how many examples make a bounded chunk of work.
int64_t speed_work_per_example(const std::vector<int>& sizes);

}  // namespace bplab
