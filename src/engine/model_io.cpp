// Model files in network2.py's JSON format (see model_io.hpp). Index:
//   [SECTION] Names
//   [SECTION] Reading
//   [SECTION] Writing
//   [SECTION] Files
#include "model_io.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "cost.hpp"
#include "files.hpp"
#include "json.hpp"

namespace bplab {

// [SECTION] Names

const char* cost_class_name(Cost c) { return describe(c).class_name; }

namespace {

const char* const kFields[] = {"sizes", "weights", "biases", "cost", "activation", "output"};

// "a, b or c"
std::string one_of(const std::string& comma_separated) {
  const size_t last = comma_separated.rfind(", ");
  return last == std::string::npos ? comma_separated
                                   : comma_separated.substr(0, last) + " or " + comma_separated.substr(last + 2);
}

// What the format cannot hold, or "".
std::string check_settings(Activation hidden, Activation output) {
  if (!usable(hidden, kHiddenLayers))
    return std::string("hidden activation \"") + to_string(hidden) + "\" is not one of " + activation_names(kHiddenLayers);
  if (!usable(output, kOutputLayer))
    return std::string("output activation \"") + to_string(output) + "\" is not one of " + activation_names(kOutputLayer);
  return "";
}

std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string what_is(const json::Value& v) { return json::type_name(v.type()); }

// [SECTION] Reading

// sizes: a list of integers in [1, INT_MAX], then check_sizes (the parameter limit included).
std::string read_sizes(const json::Value& v, std::vector<int>& sizes) {
  if (!v.is_array()) return "sizes must be a list of positive integers, got " + what_is(v);
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const json::Value& s = v.as_array()[i];
    if (!s.is_number()) return "sizes must be a list of positive integers, but " + index("sizes", i) + " is " + what_is(s);
    const double x = s.as_number();
    if (!(x >= 1 && x <= INT_MAX && x == std::floor(x)))
      return "sizes must be a list of positive integers, but " + index("sizes", i) + " is " +
             json::format_number(x, json::NumberFormat::Integer);
    sizes.push_back(int(x));
  }
  if (std::string e = check_sizes(sizes); !e.empty()) return "sizes: " + e;
  return "";
}

std::string read_name(const json::Value* v, const char* field, std::string& out) {
  if (!v->is_string()) return std::string(field) + " must be a string, got " + what_is(*v);
  out = v->as_string();
  return "";
}

std::string read_cost(const json::Value& v, Cost& cost) {
  std::string name;
  if (std::string e = read_name(&v, "cost", name); !e.empty()) return e;
  std::string class_names;
  for (const CostDescription& d : kCosts) {
    if (name == d.class_name) return cost = d.id, "";
    class_names += (class_names.empty() ? "" : ", ") + std::string(d.class_name);
  }
  return "unknown cost \"" + name + "\" (expected " + one_of(class_names) + ")";
}

std::string read_activation(const json::Value* v, const char* field, bool output, Activation& out) {
  if (!v) return "";  // the book's default, sigmoid
  std::string name;
  if (std::string e = read_name(v, field, name); !e.empty()) return e;
  Activation a;
  const ActivationUse where = output ? kOutputLayer : kHiddenLayers;
  if (!parse(name, a) || !usable(a, where))
    return std::string("unknown ") + field + " \"" + name + "\" (expected " + one_of(activation_names(where)) + ")";
  out = a;
  return "";
}

// "" if v is a list of n entries, else a message naming it. Paths are built only for a
// message: a 784-100-10 net has 80,000 numbers to check.
template <typename Path>
std::string expect_list(const json::Value& v, size_t n, const char* what, const Path& path) {
  if (!v.is_array()) return path() + " must be a list, got " + what_is(v);
  if (v.as_array().size() != n)
    return path() + " has " + std::to_string(v.as_array().size()) + " " + what + ", expected " + std::to_string(n);
  return "";
}

template <typename Path>
std::string read_number(const json::Value& v, const Path& path, double& out) {
  if (!v.is_number()) return path() + " is " + what_is(v) + ", not a number";
  out = v.as_number();
  return "";
}

// weights[i]: sizes[i+1] rows of sizes[i] numbers (w^l_{jk}: row j, column k).
// Every row's length is checked before the matrix is allocated (the text must hold its numbers).
std::string read_weights(const json::Value& v, const std::string& path, int rows, int cols, Matrix<double>& w) {
  if (std::string e = expect_list(v, size_t(rows), "rows", [&] { return path; }); !e.empty()) return e;
  for (size_t j = 0; j < size_t(rows); ++j)
    if (std::string e = expect_list(v.as_array()[j], size_t(cols), "numbers", [&] { return index(path, j); }); !e.empty())
      return e;
  w.resize(rows, cols);
  for (size_t j = 0; j < size_t(rows); ++j) {
    const json::Value& row = v.as_array()[j];
    for (size_t k = 0; k < size_t(cols); ++k)
      if (std::string e = read_number(row.as_array()[k], [&] { return index(index(path, j), k); }, w(j, k)); !e.empty())
        return e;
  }
  return "";
}

// biases[i]: sizes[i+1] lists of one number each ([[b1], [b2], ...], numpy's n x 1 tolist()).
std::string read_biases(const json::Value& v, const std::string& path, int n, Vector<double>& b) {
  if (std::string e = expect_list(v, size_t(n), "rows", [&] { return path; }); !e.empty()) return e;
  b.resize(n);
  for (size_t j = 0; j < size_t(n); ++j) {
    const json::Value& row = v.as_array()[j];
    if (!row.is_array() || row.as_array().size() != 1)
      return index(path, j) + " must be a list of one number such as [0.5] (biases are n x 1), got " +
             (row.is_array() ? "a list of " + std::to_string(row.as_array().size()) : what_is(row));
    if (std::string e = read_number(row.as_array()[0], [&] { return index(index(path, j), 0); }, b(Eigen::Index(j)));
        !e.empty())
      return e;
  }
  return "";
}

std::string read_model(const json::Value& root, Network<double>& net) {
  if (!root.is_object()) return "a model must be a JSON object, got " + what_is(root);
  for (const json::Member& m : root.as_object()) {
    bool known = false;
    for (const char* f : kFields) known = known || m.first == f;
    if (!known)
      return "unknown field \"" + m.first + "\" (a model has sizes, weights, biases, cost, activation, output)";
  }
  for (const char* f : {"sizes", "weights", "biases", "cost"})
    if (!root.find(f)) return std::string("missing field \"") + f + "\"";

  if (std::string e = read_sizes(*root.find("sizes"), net.sizes); !e.empty()) return e;
  if (std::string e = read_cost(*root.find("cost"), net.cost); !e.empty()) return e;
  if (std::string e = read_activation(root.find("activation"), "activation", false, net.hidden); !e.empty()) return e;
  if (std::string e = read_activation(root.find("output"), "output", true, net.output); !e.empty()) return e;

  const size_t layers = net.sizes.size() - 1;
  const json::Value& weights = *root.find("weights");
  const json::Value& biases = *root.find("biases");
  if (std::string e = expect_list(weights, layers, "layers", [] { return std::string("weights"); }); !e.empty()) return e;
  if (std::string e = expect_list(biases, layers, "layers", [] { return std::string("biases"); }); !e.empty()) return e;
  net.weights.resize(layers);
  net.biases.resize(layers);
  for (size_t i = 0; i < layers; ++i) {
    if (std::string e = read_weights(weights.as_array()[i], index("weights", i), net.sizes[i + 1], net.sizes[i],
                                     net.weights[i]);
        !e.empty())
      return e;
    if (std::string e = read_biases(biases.as_array()[i], index("biases", i), net.sizes[i + 1], net.biases[i]);
        !e.empty())
      return e;
  }
  return check_network(net);
}

// [SECTION] Writing

template <typename S>
std::string check_writable(const Network<S>& net) {
  if (std::string e = check_network(net); !e.empty()) return "cannot save this net: " + e;
  if (std::string e = check_settings(net.hidden, net.output); !e.empty()) return "cannot save this net: " + e;
  return "";
}

// Numbers are json::Value(S): doubles print to round-trip as doubles, floats as floats.
template <typename S>
json::Value model_value(const Network<S>& net) {
  json::Array sizes, weights, biases;
  for (int n : net.sizes) sizes.emplace_back(n);
  for (const Matrix<S>& w : net.weights) {
    json::Array rows;
    rows.reserve(size_t(w.rows()));
    for (Eigen::Index j = 0; j < w.rows(); ++j) {
      json::Array row;
      row.reserve(size_t(w.cols()));
      for (Eigen::Index k = 0; k < w.cols(); ++k) row.emplace_back(w(j, k));
      rows.emplace_back(std::move(row));
    }
    weights.emplace_back(std::move(rows));
  }
  for (const Vector<S>& b : net.biases) {
    json::Array rows;
    rows.reserve(size_t(b.size()));
    for (Eigen::Index j = 0; j < b.size(); ++j) rows.emplace_back(json::Array{json::Value(b(j))});
    biases.emplace_back(std::move(rows));
  }
  // The book's four fields first, in save()'s order. (emplace_back: an initializer list
  // would copy every number.)
  json::Object model;
  model.emplace_back("sizes", std::move(sizes));
  model.emplace_back("weights", std::move(weights));
  model.emplace_back("biases", std::move(biases));
  model.emplace_back("cost", cost_class_name(net.cost));
  model.emplace_back("activation", to_string(net.hidden));
  model.emplace_back("output", to_string(net.output));
  return model;
}

template <typename S>
std::string to_json(const Network<S>& net, std::string* error) {
  if (std::string e = check_writable(net); !e.empty()) {
    if (error) *error = e;
    return "";
  }
  return json::write(model_value(net));
}

// [SECTION] Files

std::string system_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// A name beside `path` that no other save (in this or another process) is likely to use.
std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return path + ".tmp" + std::to_string(now) + "-" + std::to_string(counter++);
}

template <typename S>
bool save(const std::string& path, const Network<S>& net, std::string* error) {
  const auto failed = [&](const std::string& e) {
    if (error) *error = e;
    return false;
  };
  std::string e;
  const std::string text = to_json(net, &e);
  if (!e.empty()) return failed(e);
  if (path.empty()) return failed("cannot save: no file name given");

  const std::string tmp = temporary_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return failed(system_error("cannot create", tmp));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fputc('\n', f) != EOF && ok;
  ok = std::fflush(f) == 0 && ok;
  if (!ok) e = system_error("cannot write", tmp);
  if (std::fclose(f) != 0 && ok) ok = false, e = system_error("cannot write", tmp);
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) ok = false, e = system_error("cannot rename " + tmp + " to", path);
  if (!ok) {
    std::remove(tmp.c_str());
    return failed(e);
  }
  return true;
}

}  // namespace

LoadResult read_model_json(std::string_view text) {
  LoadResult r;
  if (text.size() > size_t(kMaxModelTextBytes)) {
    r.error = "the model text is " + std::to_string(text.size()) + " bytes, more than the limit of " +
              std::to_string(kMaxModelTextBytes);
    return r;
  }
  json::ParseResult parsed = json::parse(text, json::kMaxDepth, kMaxModelValues);
  if (!parsed.ok()) {
    r.error = "not valid JSON: " + parsed.error;
    return r;
  }
  r.error = read_model(parsed.value, r.net);
  if (!r.ok()) r.net = Network<double>();
  return r;
}

LoadResult load_model_file(const std::string& path) {
  LoadResult r;
  std::string text;
  if (std::string e = read_regular_file(path, uint64_t(kMaxModelTextBytes), &text); !e.empty()) {
    r.error = e;
    return r;
  }
  r = read_model_json(text);
  if (!r.ok()) r.error = path + ": " + r.error;
  return r;
}

std::string model_to_json(const Network<double>& net, std::string* error) { return to_json(net, error); }
std::string model_to_json(const Network<float>& net, std::string* error) { return to_json(net, error); }

bool save_model_file(const std::string& path, const Network<double>& net, std::string* error) {
  return save(path, net, error);
}
bool save_model_file(const std::string& path, const Network<float>& net, std::string* error) {
  return save(path, net, error);
}

}  // namespace bplab
