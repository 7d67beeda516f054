// Trainer::save_state and Trainer::restore: a trainer as bytes.
//
// Layout (version 1), every number little-endian, as the machine writes it (x86 and
// WebAssembly are both little-endian; a big-endian machine refuses the bytes by their magic):
//   "BPTS" u32 version
//   i32 L, i32 sizes[L], u8 hidden, u8 output, u8 cost
//   f64 eta, i32 batch, f64 lambda, f64 momentum, u8 output_delta
//   u64 rng[4], f64 spare, u8 has_spare
//   i32 epoch, i32 batch_in_epoch, i64 examples_seen, f64 epoch_cost, f64 last_epoch_cost,
//   i64 epoch_examples, u32 n + n bytes divergence
//   i32 count, i32 order[count]
//   f32 the net's weights and biases, layer by layer (weights row-major), then the snapshot's
//   u8 has_momentum, then (if 1) the velocities in the same layout
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "cost.hpp"
#include "trainer.hpp"

namespace bplab {

namespace {

constexpr char kMagic[4] = {'B', 'P', 'T', 'S'};
constexpr uint32_t kVersion = 1;

class Writer {
 public:
  template <typename T>
  void put(T v) {
    const size_t at = out.size();
    out.resize(at + sizeof v);
    std::memcpy(out.data() + at, &v, sizeof v);
  }
  void put_floats(const float* p, size_t n) {
    const size_t at = out.size();
    out.resize(at + n * sizeof(float));
    if (n) std::memcpy(out.data() + at, p, n * sizeof(float));
  }
  template <typename Net>
  void put_net(const Net& net) {
    for (size_t i = 0; i < net.weights.size(); ++i) {
      put_floats(net.weights[i].data(), size_t(net.weights[i].size()));
      put_floats(net.biases[i].data(), size_t(net.biases[i].size()));
    }
  }
  std::vector<uint8_t> out;
};

class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  // Each get fails (and the reader stays failed) once the bytes run out.
  template <typename T>
  bool get(T& v) {
    if (!ok_ || size_t(end_ - p_) < sizeof v) return ok_ = false;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return true;
  }
  bool get_floats(float* dst, size_t n) {
    if (!ok_ || size_t(end_ - p_) / sizeof(float) < n) return ok_ = false;
    if (n) std::memcpy(dst, p_, n * sizeof(float));
    p_ += n * sizeof(float);
    return true;
  }
  bool get_bytes(std::string& s, size_t n) {
    if (!ok_ || size_t(end_ - p_) < n) return ok_ = false;
    s.assign(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return true;
  }
  bool ok() const { return ok_; }
  size_t left() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

// The shapes of a net of `sizes`, zero-filled, to read values into.
Network<float> shaped(const std::vector<int>& sizes) {
  Network<float> net;
  net.sizes = sizes;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    net.weights.push_back(Matrix<float>::Zero(sizes[i + 1], sizes[i]));
    net.biases.push_back(Vector<float>::Zero(sizes[i + 1]));
  }
  return net;
}

bool read_net(Reader& r, Network<float>& net) {
  for (size_t i = 0; i < net.weights.size(); ++i) {
    if (!r.get_floats(net.weights[i].data(), size_t(net.weights[i].size()))) return false;
    if (!r.get_floats(net.biases[i].data(), size_t(net.biases[i].size()))) return false;
  }
  return true;
}

template <typename Net>
bool finite(const Net& net) {
  for (size_t i = 0; i < net.weights.size(); ++i)
    if (!net.weights[i].allFinite() || !net.biases[i].allFinite()) return false;
  return true;
}

template <typename E>
bool read_enum(Reader& r, E& out, int count) {
  uint8_t v = 0;
  if (!r.get(v) || v >= count) return false;
  out = static_cast<E>(v);
  return true;
}

}  // namespace

std::vector<uint8_t> Trainer::save_state() const {
  Writer w;
  for (char c : kMagic) w.put(c);
  w.put(kVersion);
  w.put(int32_t(net_.sizes.size()));
  for (int n : net_.sizes) w.put(int32_t(n));
  w.put(uint8_t(net_.hidden));
  w.put(uint8_t(net_.output));
  w.put(uint8_t(net_.cost));
  w.put(h_.eta);
  w.put(int32_t(h_.batch));
  w.put(h_.lambda);
  w.put(h_.momentum);
  w.put(uint8_t(h_.output_delta));
  const Rng::State rs = rng_.state();
  for (uint64_t s : rs.s) w.put(s);
  w.put(rs.spare);
  w.put(uint8_t(rs.has_spare));
  w.put(int32_t(epoch_));
  w.put(int32_t(batch_in_epoch_));
  w.put(int64_t(examples_seen_));
  w.put(epoch_cost_);
  w.put(last_epoch_cost_);
  w.put(int64_t(epoch_examples_));
  w.put(uint32_t(divergence_.size()));
  for (char c : divergence_) w.put(c);
  w.put(int32_t(order_.size()));
  for (int i : order_) w.put(int32_t(i));
  w.put_net(net_);
  w.put_net(snapshot_);
  w.put(uint8_t(!V_.empty()));
  if (!V_.empty()) {
    for (size_t i = 0; i < V_.size(); ++i) {
      w.put_floats(V_[i].data(), size_t(V_[i].size()));
      w.put_floats(Vb_[i].data(), size_t(Vb_[i].size()));
    }
  }
  return std::move(w.out);
}

std::unique_ptr<Trainer> Trainer::restore(const uint8_t* bytes, size_t size, DataView training, std::string* error) {
  auto refuse = [&](const std::string& why) {
    if (error) *error = "the trainer state is refused: " + why;
    return nullptr;
  };
  Reader r(bytes, size);
  char magic[4] = {};
  for (char& c : magic) r.get(c);
  uint32_t version = 0;
  r.get(version);
  if (!r.ok() || std::memcmp(magic, kMagic, 4) != 0) return refuse("it is not a Backprop Lab trainer state");
  if (version != kVersion) return refuse("version " + std::to_string(version) + " is not supported");

  int32_t layers = 0;
  if (!r.get(layers) || layers < 2 || layers > kMaxNetLayers) return refuse("bad layer count");
  std::vector<int> sizes(size_t(layers), 0);
  for (int& n : sizes) {
    int32_t v = 0;
    r.get(v);
    n = v;
  }
  if (!r.ok()) return refuse("truncated");
  if (std::string e = check_sizes(sizes); !e.empty()) return refuse(e);
  if (sizes[0] != training.dim) return refuse("the net takes " + std::to_string(sizes[0]) + " inputs, the data has " +
                                              std::to_string(training.dim));

  // Two nets of floats must follow: refuse before allocating them if they cannot.
  if (r.left() / (2 * sizeof(float)) < size_t(parameter_count(sizes))) return refuse("truncated");

  auto t = std::unique_ptr<Trainer>(new Trainer());
  t->training_ = training;
  t->net_ = shaped(sizes);
  constexpr int activations = int(std::size(kActivations)), costs = int(std::size(kCosts));
  if (!read_enum(r, t->net_.hidden, activations) || !read_enum(r, t->net_.output, activations) ||
      !read_enum(r, t->net_.cost, costs))
    return refuse("bad activation or cost");
  int32_t batch = 0;
  r.get(t->h_.eta);
  r.get(batch);
  r.get(t->h_.lambda);
  r.get(t->h_.momentum);
  t->h_.batch = batch;
  if (!read_enum(r, t->h_.output_delta, 2)) return refuse("bad output rule");
  if (t->net_.hidden == Activation::Softmax) return refuse("softmax is only available for the output layer");
  if (std::string e = check_hyperparameters(t->h_); !e.empty()) return refuse(e);

  Rng::State rs{};
  for (uint64_t& s : rs.s) r.get(s);
  uint8_t has_spare = 0;
  r.get(rs.spare);
  r.get(has_spare);
  if (!r.ok()) return refuse("truncated");
  // xoshiro's all-zero state stays zero: shuffling with it would never end.
  if ((rs.s[0] | rs.s[1] | rs.s[2] | rs.s[3]) == 0) return refuse("the random stream's state is zero");
  if (has_spare > 1 || !std::isfinite(rs.spare)) return refuse("bad random stream state");
  rs.has_spare = has_spare == 1;
  t->rng_.set_state(rs);

  int32_t epoch = 0, batch_in_epoch = 0;
  int64_t seen = 0, epoch_examples = 0;
  uint32_t divergence_size = 0;
  r.get(epoch);
  r.get(batch_in_epoch);
  r.get(seen);
  r.get(t->epoch_cost_);
  r.get(t->last_epoch_cost_);
  r.get(epoch_examples);
  r.get(divergence_size);
  if (!r.ok()) return refuse("truncated");
  if (divergence_size > 4096 || !r.get_bytes(t->divergence_, divergence_size)) return refuse("bad divergence message");
  t->epoch_ = epoch;
  t->batch_in_epoch_ = batch_in_epoch;
  t->examples_seen_ = seen;
  t->epoch_examples_ = epoch_examples;

  int32_t count = 0;
  if (!r.get(count)) return refuse("truncated");
  if (count != training.count)
    return refuse("it was saved over " + std::to_string(count) + " training examples, not " +
                  std::to_string(training.count));
  t->order_.resize(size_t(count));
  std::vector<bool> seen_index(size_t(count), false);
  for (int& i : t->order_) {
    int32_t v = -1;
    if (!r.get(v)) return refuse("truncated");
    if (v < 0 || v >= count || seen_index[size_t(v)]) return refuse("the epoch's order is not a permutation");
    seen_index[size_t(v)] = true;
    i = v;
  }
  // Counters that training can still advance without overflow. A state saved right after the
  // last mini-batch of an epoch diverged has batch_in_epoch == batches_per_epoch.
  const bool diverged = !t->divergence_.empty();
  const int last_batch = count > 0 ? t->batches_per_epoch() - (diverged ? 0 : 1) : 0;
  // The epoch's examples so far are those of its batches done (fewer after a divergence).
  if (epoch < 0 || epoch > kMaxEpochCounter || seen < 0 || seen > kMaxExamplesSeen || epoch_examples < 0 ||
      epoch_examples > std::min<int64_t>(count, int64_t(std::max(batch_in_epoch, 0)) * batch) ||
      batch_in_epoch < 0 || batch_in_epoch > last_batch)
    return refuse("bad counters");
  if (!std::isfinite(t->epoch_cost_) || !std::isfinite(t->last_epoch_cost_)) return refuse("bad costs");

  t->snapshot_ = t->net_;
  if (!read_net(r, t->net_) || !read_net(r, t->snapshot_)) return refuse("truncated");
  uint8_t has_momentum = 0;
  if (!r.get(has_momentum) || has_momentum > 1) return refuse("truncated");
  if (has_momentum) {
    for (size_t i = 0; i < t->net_.weights.size(); ++i) {
      t->V_.push_back(Matrix<float>::Zero(t->net_.weights[i].rows(), t->net_.weights[i].cols()));
      t->Vb_.push_back(Vector<float>::Zero(t->net_.biases[i].size()));
      if (!r.get_floats(t->V_[i].data(), size_t(t->V_[i].size())) ||
          !r.get_floats(t->Vb_[i].data(), size_t(t->Vb_[i].size())))
        return refuse("truncated");
    }
  } else if (t->h_.momentum > 0) {
    return refuse("momentum without velocities");
  }
  if (!r.at_end()) return refuse("there are bytes after the end");
  // Checked like a model file: the snapshot at the epoch's start, which the app keeps when
  // training diverges, fully. The current net and velocities may hold the inf or NaN of a
  // divergence that the trainer had not yet noticed when it was saved (the worker saves after
  // any mini-batch): the restored trainer then reports that divergence, as it would have.
  if (std::string e = check_network(t->snapshot_); !e.empty()) return refuse("the net at the epoch's start: " + e);
  bool finite_velocities = true;
  for (size_t i = 0; i < t->V_.size(); ++i)
    finite_velocities = finite_velocities && t->V_[i].allFinite() && t->Vb_[i].allFinite();
  if (!diverged && (!finite(t->net_) || !finite_velocities))
    t->divergence_ = "training diverged in epoch " + std::to_string(epoch) + ": " +
                     (finite_velocities ? "a weight" : "a momentum velocity") + " became NaN or infinite";
  return t;
}

}  // namespace bplab
