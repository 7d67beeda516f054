#include "trainer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <sstream>

#include "kernels.hpp"

#include "show.hpp"

namespace bplab {

namespace {

// Σ over the columns of the batch of C_x (for the epoch's mean training cost).
double batch_cost(Cost cost, const Batch<float>& a, const uint8_t* labels, const int* indices, int m) {
  double total = 0;
  const int n = int(a.rows());
  for (int k = 0; k < m; ++k) {
    const Vector<double> y = one_hot<double>(labels[indices[k]], n);
    total += cost_value<double>(cost, a.col(k).cast<double>(), y);
  }
  return total;
}

// δ^L for a whole mini-batch: column k holds δ^{x_k,L}.
// σ'(z^L) is taken from a^L (σ' = a(1 − a) for the sigmoid), which the batch keeps.
void output_error(const Network<float>& net, OutputDelta rule, const Batch<float>& aL, const uint8_t* labels,
                  const int* indices, int m, Batch<float>& delta) {
  const int n = int(aL.rows());
  for (int k = 0; k < m; ++k) {
    const int label = labels[indices[k]];
    if (rule == OutputDelta::Simplified && has_simplified_delta(net.cost, net.output)) {
      for (int j = 0; j < n; ++j) delta(j, k) = aL(j, k) - (j == label ? 1.f : 0.f);  // δ^L = a − y
      continue;
    }
    const Vector<float> y = one_hot<float>(label, n);
    const Vector<float> grad = cost_gradient<float>(net.cost, aL.col(k), y);  // ∇_a C
    if (is_elementwise(net.output)) {
      for (int j = 0; j < n; ++j)
        delta(j, k) = grad(j) * activation_prime_from_output(net.output, aL(j, k));  // BP1: ∇_a C ⊙ σ'(z^L)
    } else {
      // Softmax: δ_j = Σ_k ∂C/∂a_k · a_k (1[k=j] − a_j) = a_j (g_j − a·g).
      const float ag = aL.col(k).dot(grad);
      for (int j = 0; j < n; ++j) delta(j, k) = aL(j, k) * (grad(j) - ag);
    }
  }
}

// a = σ(z), in place over a whole batch.
void activate_batch(Activation f, const Batch<float>& z, Batch<float>& a, int m) {
  if (!is_elementwise(f)) {  // softmax
    Batch<float> out;
    activate<float>(f, z.leftCols(m), out);
    a.leftCols(m) = out;
    return;
  }
  const Eigen::Index n = z.rows() * m;
  const float* zp = z.data();
  float* ap = a.data();
  float (*const sigma)(float z) = describe(f).f32.f;
  for (Eigen::Index i = 0; i < n; ++i) ap[i] = sigma(zp[i]);
}

}  // namespace

std::string check_hyperparameters(const Hyperparameters& h) {
  if (!std::isfinite(h.eta) || h.eta <= 0 || h.eta > kMaxEta)
    return "the learning rate eta must be a number > 0 and <= " + show(kMaxEta) + ", got " + show(h.eta);
  if (h.batch < 1 || h.batch > kMaxBatch)
    return "the mini-batch size must be between 1 and " + std::to_string(kMaxBatch) + ", got " + std::to_string(h.batch);
  if (!std::isfinite(h.lambda) || h.lambda < 0 || h.lambda > 1e6)
    return "lambda must be a number >= 0 and <= 1e6, got " + show(h.lambda);
  if (!std::isfinite(h.momentum) || h.momentum < 0 || h.momentum >= 1)
    return "the momentum must be a number in [0, 1), got " + show(h.momentum);
  return "";
}

namespace {
// pixel_value of every byte: a look-up is several times faster than a division per pixel
// (WebAssembly has no fast unsigned conversion), and gives the same floats.
constexpr std::array<float, 256> kPixelValues = [] {
  std::array<float, 256> v{};
  for (int b = 0; b < 256; ++b) v[size_t(b)] = pixel_value(uint8_t(b));
  return v;
}();
}  // namespace

const float* DataView::example(int i, float* scratch) const {
  if (x) return x + std::ptrdiff_t(i) * dim;
  const uint8_t* b = bytes + std::ptrdiff_t(i) * dim;
  for (int p = 0; p < dim; ++p) scratch[p] = kPixelValues[b[p]];
  return scratch;
}

Evaluation evaluate(const Network<float>& net, DataView data, std::vector<Answer>* answers) {
  Evaluation e;
  e.total = data.count;
  constexpr int kChunk = 256;
  std::vector<Batch<float>> act(net.weights.size());
  Batch<float> z;
  double cost = 0;
  const float* in[kChunk];
  Batch<float> inputs(data.x ? 0 : data.dim, data.x ? 0 : std::min(kChunk, data.count));  // for image bytes
  for (int k0 = 0; k0 < data.count; k0 += kChunk) {
    const int m = data.count - k0 < kChunk ? data.count - k0 : kChunk;
    float* const scratch = inputs.size() ? inputs.data() : nullptr;  // null for float examples: no offsets
    for (int k = 0; k < m; ++k)
      in[k] = data.example(k0 + k, scratch ? scratch + std::ptrdiff_t(k) * data.dim : nullptr);
    for (size_t i = 0; i < net.weights.size(); ++i) {
      const int rows = int(net.weights[i].rows()), cols = int(net.weights[i].cols());
      z.resize(rows, m);
      act[i].resize(rows, m);
      kernels::weighted_input(net.weights[i].data(), net.biases[i].data(), rows, cols, in, m, z.data());
      activate_batch(net.activation_of(int(i)), z, act[i], m);
      for (int k = 0; k < m; ++k) in[k] = act[i].data() + std::ptrdiff_t(k) * rows;
    }
    const Batch<float>& out = act.back();
    for (int k = 0; k < m; ++k) {
      const int label = data.labels[k0 + k];
      Eigen::Index best = 0;
      out.col(k).maxCoeff(&best);
      e.correct += int(best) == label;
      if (answers) answers->push_back({int(best), out(best, k)});
      cost += cost_value<double>(net.cost, out.col(k).cast<double>(), one_hot<double>(label, int(out.rows())));
    }
  }
  e.mean_cost = data.count ? cost / data.count : 0.0;
  return e;
}

Trainer::Trainer(Network<float> net, Hyperparameters h, DataView training, uint64_t seed)
    : net_(std::move(net)), h_(h), training_(training), rng_(seed) {
  if (h_.momentum > 0) {
    for (const auto& w : net_.weights) V_.push_back(Matrix<float>::Zero(w.rows(), w.cols()));
    for (const auto& b : net_.biases) Vb_.push_back(Vector<float>::Zero(b.size()));
  }
  order_.resize(training_.count);
  begin_epoch();
}

std::string Trainer::set_hyperparameters(const Hyperparameters& h) {
  if (std::string e = check_hyperparameters(h); !e.empty()) return e;
  if (h.momentum > 0 && V_.empty()) {
    for (const auto& w : net_.weights) V_.push_back(Matrix<float>::Zero(w.rows(), w.cols()));
    for (const auto& b : net_.biases) Vb_.push_back(Vector<float>::Zero(b.size()));
  }
  const bool batch_changed = h.batch != h_.batch;
  h_ = h;
  if (batch_changed) batch_in_epoch_ = 0, begin_epoch();  // restart the epoch with the new batch size
  return "";
}

// Why training diverged, most likely. Weight decay multiplies every weight by 1 − ηλ/n each
// step: at ηλ/n > 1 that flips signs and grows (|1 − ηλ/n| > 1 from ηλ/n > 2), whatever η alone.
std::string Trainer::divergence_cause() const {
  const double shrink = h_.eta * h_.lambda / std::max(training_.count, 1);
  if (shrink > 1)
    return ". Likely cause: lambda*eta/n = " + show(shrink) + " is above 1, so the weight decay 1 - eta*lambda/n = " +
           show(1 - shrink) + " flips the weights each step (lambda = " + show(h_.lambda) + ", eta = " + show(h_.eta) +
           ", n = " + std::to_string(training_.count) + ")";
  return ". Likely cause: the learning rate eta = " + show(h_.eta) + " is too large for this net and cost";
}

namespace {
constexpr double kDeltaGrowth = 100;  // "orders of magnitude": two
}

// ‖δ^l‖ of D_[i] (layer i + 2) for this batch, against its first size; the first runaway is kept.
void Trainer::watch_delta(int i, int m) {
  if (!delta_alarm_.empty()) return;
  const int layers = int(net_.weights.size());
  if (int(delta_first_.size()) != layers) delta_first_.assign(size_t(layers), -1);
  const double norm = std::sqrt(double(D_[i].leftCols(m).squaredNorm()) / m);
  double& first = delta_first_[size_t(i)];
  const std::string where = "epoch " + std::to_string(epoch_) + ", mini-batch " + std::to_string(batch_in_epoch_) +
                            ": the error of layer " + std::to_string(i + 2) +
                            (i + 1 == layers ? " (the output layer), " : " (hidden), ");
  if (!std::isfinite(norm)) {
    delta_alarm_ = where + "|delta| became " + (std::isnan(norm) ? "NaN" : "infinite") +
                   (first > 0 ? " (it was " + show(first) + " at first)" : "");
  } else if (first < 0 || first == 0) {
    first = norm;
  } else if (norm > kDeltaGrowth * first) {
    delta_alarm_ = where + "|delta| grew " + show(std::round(norm / first)) + "-fold, from " + show(first) + " to " +
                   show(norm);
  }
}

// Where the divergence began: the first runaway error, or else what the output did.
std::string Trainer::divergence_start() const {
  if (!delta_alarm_.empty()) return ". It began in " + delta_alarm_;
  const int layers = int(net_.weights.size());
  for (int i = 0; i < layers; ++i)
    if (!Z_[i].allFinite())
      return ". No error |delta| grew a hundred-fold before; the weighted input z of layer " + std::to_string(i + 2) +
             " became NaN or infinite first (its weights grew too large)";
  return ". No error |delta| grew a hundred-fold before: the output saturated, an output activation rounded off to "
         "exactly 0 or 1, where the cost takes ln 0 (a step made the weights that large)";
}

void Trainer::begin_epoch() {
  for (int i = 0; i < training_.count; ++i) order_[i] = i;
  rng_.shuffle(order_);
  batch_in_epoch_ = 0;
  epoch_cost_ = 0;
  epoch_examples_ = 0;
  snapshot_ = net_;
}

void Trainer::resize_buffers(int m) {
  const size_t layers = net_.weights.size();
  if (Z_.size() == layers && Z_[0].cols() == m) return;
  A_.resize(layers + 1);
  Z_.resize(layers);
  D_.resize(layers);
  columns_.assign(layers, std::vector<const float*>(m));
  A_[0].resize(training_.x ? 0 : training_.dim, m);  // image bytes as floats (train_mini_batch)
  for (size_t i = 0; i < layers; ++i) {
    A_[i + 1].resize(net_.sizes[i + 1], m);
    Z_[i].resize(net_.sizes[i + 1], m);
    D_[i].resize(net_.sizes[i + 1], m);
    if (i > 0)  // the input of layer i+2 is a^{i+1}, one contiguous column per example
      for (int k = 0; k < m; ++k) columns_[i][k] = A_[i].data() + std::ptrdiff_t(k) * net_.sizes[i];
  }
}

void Trainer::train_mini_batch(const int* indices, int m) {
  resize_buffers(m);
  const int layers = int(net_.weights.size());
  // The input layer reads float examples where they are; image bytes become floats in A_[0].
  // (Float examples need no scratch: A_[0] is empty and its data() null, no base for offsets.)
  float* const scratch = A_[0].size() ? A_[0].data() : nullptr;
  for (int k = 0; k < m; ++k)
    columns_[0][k] = training_.example(indices[k], scratch ? scratch + std::ptrdiff_t(k) * training_.dim : nullptr);

  // Forward: z^l = w^l a^{l-1} + b^l, a^l = σ(z^l), for the whole batch at once.
  for (int i = 0; i < layers; ++i) {
    const Matrix<float>& w = net_.weights[i];
    kernels::weighted_input(w.data(), net_.biases[i].data(), int(w.rows()), int(w.cols()), columns_[i].data(), m,
                            Z_[i].data());
    activate_batch(net_.activation_of(i), Z_[i], A_[i + 1], m);
  }

  const double cost = batch_cost(net_.cost, A_[layers], training_.labels, indices, m);
  if (!std::isfinite(cost)) {
    divergence_ = "training diverged in epoch " + std::to_string(epoch_) + ", mini-batch " +
                  std::to_string(batch_in_epoch_) + ": the cost became " + (std::isnan(cost) ? "NaN" : "infinite") +
                  divergence_start() + divergence_cause();
    return;
  }
  epoch_cost_ += cost;
  epoch_examples_ += m;

  // BP1 for every example of the batch.
  output_error(net_, h_.output_delta, A_[layers], training_.labels, indices, m, D_[layers - 1]);
  watch_delta(layers - 1, m);

  const float alpha = float(-h_.eta / m);                                     // −η/m
  const float decay = float(1.0 - h_.eta * h_.lambda / training_.count);     // 1 − ηλ/n
  for (int i = layers - 1; i >= 0; --i) {
    Matrix<float>& w = net_.weights[i];
    const int rows = int(w.rows()), cols = int(w.cols());
    if (i > 0) {
      // BP2 uses w^{l+1} before its update: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l).
      kernels::transpose_times(w.data(), rows, cols, D_[i].data(), m, D_[i - 1].data());
      float (*const sigma_prime)(float a) = describe(net_.activation_of(i - 1)).f32.prime_from_output;
      float* d = D_[i - 1].data();
      const float* a = A_[i].data();
      for (Eigen::Index e = 0, n = Eigen::Index(cols) * m; e < n; ++e) d[e] *= sigma_prime(a[e]);
      watch_delta(i - 1, m);
    }
    // BP3 and BP4, summed over the batch and applied in place.
    if (V_.empty())
      kernels::fused_update(w.data(), net_.biases[i].data(), rows, cols, D_[i].data(), columns_[i].data(), m, decay, alpha);
    else
      kernels::momentum_update(w.data(), net_.biases[i].data(), V_[i].data(), Vb_[i].data(), rows, cols,
                               D_[i].data(), columns_[i].data(), m, decay, alpha, float(h_.momentum));
  }
  examples_seen_ += m;
}

double Trainer::steady_clock_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

SliceResult Trainer::run(int max_batches, double max_ms) {
  SliceResult r;
  if (diverged() || training_.count == 0) return r.diverged = diverged(), r;
  const double start = max_ms > 0 ? clock() : 0;
  const int per_epoch = batches_per_epoch();
  while (r.batches < max_batches) {
    const int k0 = batch_in_epoch_ * h_.batch;
    const int m = training_.count - k0 < h_.batch ? training_.count - k0 : h_.batch;
    train_mini_batch(order_.data() + k0, m);
    if (diverged()) {
      r.diverged = true;
      return r;
    }
    ++r.batches;
    if (++batch_in_epoch_ == per_epoch) {
      // Every layer, biases too: the epoch's end becomes the snapshot the app keeps if training
      // diverges later (begin_epoch), so it must be finite (the fuzzer found a NaN bias of a
      // middle layer slip through a check of the first and last weights).
      bool finite = true;
      for (size_t i = 0; i < net_.weights.size(); ++i)
        finite = finite && net_.weights[i].allFinite() && net_.biases[i].allFinite();
      if (!finite) {
        divergence_ = "training diverged in epoch " + std::to_string(epoch_) +
                      ": a weight or a bias became NaN or infinite" +
                      (delta_alarm_.empty() ? "" : ". It began in " + delta_alarm_) + divergence_cause();
        r.diverged = true;
        return r;
      }
      last_epoch_cost_ = epoch_mean_cost();
      ++epoch_;
      begin_epoch();
      r.epoch_finished = true;
      break;
    }
    if (max_ms > 0 && clock() - start >= max_ms) break;
  }
  return r;
}

void train_mini_batch_reference(Network<float>& net, const Hyperparameters& h, DataView training,
                                const int* indices, int m) {
  const int layers = int(net.weights.size());
  Batch<float> x(training.dim, m);
  for (int k = 0; k < m; ++k) {
    float* column = x.col(k).data();
    const float* example = training.example(indices[k], column);
    if (example != column) x.col(k) = Eigen::Map<const Vector<float>>(example, training.dim);
  }
  std::vector<Batch<float>> a{x}, z;
  for (int i = 0; i < layers; ++i) {
    z.push_back((net.weights[i] * a.back()).colwise() + net.biases[i]);
    Batch<float> next;
    activate<float>(net.activation_of(i), z.back(), next);
    a.push_back(next);
  }
  std::vector<Batch<float>> delta(layers);
  delta[layers - 1].resize(net.sizes.back(), m);
  for (int k = 0; k < m; ++k) {
    const Vector<float> zk = z.back().col(k), ak = a.back().col(k);
    const Vector<float> y = one_hot<float>(training.labels[indices[k]], net.sizes.back());
    if (h.output_delta == OutputDelta::Simplified && has_simplified_delta(net.cost, net.output))
      delta[layers - 1].col(k) = ak - y;
    else
      delta[layers - 1].col(k) = output_error_literal<float>(net.output, cost_gradient<float>(net.cost, ak, y), zk);
  }
  for (int i = layers - 2; i >= 0; --i) {
    Batch<float> sp(z[i].rows(), m);
    for (Eigen::Index e = 0; e < sp.size(); ++e) sp.data()[e] = activation_prime(net.activation_of(i), z[i].data()[e]);
    delta[i] = (net.weights[i + 1].transpose() * delta[i + 1]).cwiseProduct(sp);  // BP2
  }
  const float scale = float(h.eta / m), decay = float(1.0 - h.eta * h.lambda / training.count);
  for (int i = 0; i < layers; ++i) {
    const Matrix<float> nabla_w = delta[i] * a[i].transpose();  // BP4, summed over the batch
    const Vector<float> nabla_b = delta[i].rowwise().sum();     // BP3, summed over the batch
    net.weights[i] = decay * net.weights[i] - scale * nabla_w;
    net.biases[i] -= scale * nabla_b;
  }
}

}  // namespace bplab
