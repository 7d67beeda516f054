#include "speed.hpp"

#include <algorithm>

namespace bplab {

SpeedOfLearning::SpeedOfLearning(const Network<double>& net, DataView data, int n)
    : net_(net), data_(data), n_(std::clamp(n, 0, std::max(data.count, 0))) {
  zero_sums();
}

SpeedOfLearning::SpeedOfLearning(Network<float> net, DataView data, int n)
    : source_(std::move(net)), data_(data), n_(std::clamp(n, 0, std::max(data.count, 0))) {
  net_.sizes = source_.sizes;
  net_.hidden = source_.hidden;
  net_.output = source_.output;
  net_.cost = source_.cost;
  zero_sums();
}

void SpeedOfLearning::zero_sums() {
  for (size_t i = 0; i + 1 < net_.sizes.size(); ++i) sum_.push_back(Vector<double>::Zero(net_.sizes[i + 1]));
}

bool SpeedOfLearning::add(int max_examples) {
  constexpr int kBatch = 50;  // examples per matrix product
  if (net_.weights.size() < source_.weights.size()) {  // one more layer in double
    const size_t i = net_.weights.size();
    net_.weights.push_back(source_.weights[i].cast<double>());
    net_.biases.push_back(source_.biases[i].cast<double>());
    source_.weights[i] = Matrix<float>();  // its memory goes back as the copy grows
    return net_.weights.size() == source_.weights.size() && done();
  }
  const int layers = int(net_.weights.size()), last = layers - 1;
  int todo = std::min(std::max(max_examples, 1), n_ - position_);
  std::vector<float> scratch(size_t(data_.dim));
  while (todo > 0) {
    const int m = std::min(todo, kBatch), k0 = position_;
    // The inputs in double: a byte b is b / 255 (pixel_value, in double as numpy reads it).
    Batch<double> x(data_.dim, m);
    for (int k = 0; k < m; ++k) {
      if (data_.bytes) {
        const uint8_t* b = data_.bytes + std::ptrdiff_t(k0 + k) * data_.dim;
        for (int p = 0; p < data_.dim; ++p) x(p, k) = double(b[p]) / 255.0;
      } else {
        const float* e = data_.example(k0 + k, scratch.data());
        for (int p = 0; p < data_.dim; ++p) x(p, k) = double(e[p]);
      }
    }
    // Forward: z^l = w^l a^{l-1} + b^l, a^l = σ(z^l), one column per example.
    std::vector<Batch<double>> z(layers), a(layers + 1);
    a[0] = std::move(x);
    for (int i = 0; i < layers; ++i) {
      z[i] = (net_.weights[i] * a[i]).colwise() + net_.biases[i];
      activate<double>(net_.activation_of(i), z[i], a[i + 1]);
    }
    // BP1, as network2.py computes it for this cost.
    const OutputDelta rule = book_output_delta(net_.cost, net_.output);
    Batch<double> delta(net_.sizes.back(), m);
    for (int k = 0; k < m; ++k) {
      const Vector<double> y = one_hot<double>(data_.labels[k0 + k], net_.sizes.back());
      const Vector<double> aL = a[layers].col(k);
      if (rule == OutputDelta::Simplified)
        delta.col(k) = aL - y;  // δ^L = a − y
      else
        delta.col(k) = output_error_literal<double>(net_.output, cost_gradient<double>(net_.cost, aL, y), z[last].col(k));
    }
    sum_[size_t(last)] += delta.rowwise().sum();  // BP3: ∂C/∂b^L = δ^L
    // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), down to the first hidden layer.
    for (int i = last - 1; i >= 0; --i) {
      Batch<double> sp = z[i].unaryExpr([&](double v) { return activation_prime(net_.activation_of(i), v); });
      delta = (net_.weights[i + 1].transpose() * delta).cwiseProduct(sp);
      sum_[size_t(i)] += delta.rowwise().sum();  // BP3: ∂C/∂b^l = δ^l
    }
    position_ += m;
    todo -= m;
  }
  return done();
}

std::vector<Vector<double>> SpeedOfLearning::mean_nabla_b() const {
  std::vector<Vector<double>> mean = sum_;
  for (auto& v : mean) v /= double(std::max(position_, 1));
  return mean;
}

std::vector<double> SpeedOfLearning::speeds() const {
  std::vector<double> s;
  const std::vector<Vector<double>> mean = mean_nabla_b();
  for (size_t i = 0; i + 1 < mean.size(); ++i) s.push_back(mean[i].norm());  // hidden layers only
  return s;
}

std::vector<double> speed_of_learning(const Network<double>& net, DataView data, int n) {
  SpeedOfLearning s(net, data, n);
  while (!s.done()) s.add(1 << 30);
  return s.speeds();
}

int64_t speed_work_per_example(const std::vector<int>& sizes) {
  int64_t work = 0;
  for (size_t i = 1; i < sizes.size(); ++i) work += int64_t(sizes[i]) * sizes[i - 1];  // forward
  for (size_t i = 2; i < sizes.size(); ++i) work += int64_t(sizes[i]) * sizes[i - 1];  // BP2
  return work;
}

}  // namespace bplab
