// Model files: our nets survive a save and load bit for bit, a file in exactly the format the
// book's network2.py writes loads with the right numbers, and every malformed file is refused
// with a message that names the problem.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/model_io.hpp"
#include "temp_dir.hpp"

using namespace bplab;
namespace fs = std::filesystem;

namespace {

template <typename S>
void expect_same_net(const Network<S>& a, const Network<S>& b) {
  EXPECT_EQ(a.sizes, b.sizes);
  EXPECT_EQ(a.hidden, b.hidden);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.cost, b.cost);
  ASSERT_EQ(a.weights.size(), b.weights.size());
  ASSERT_EQ(a.biases.size(), b.biases.size());
  for (size_t i = 0; i < a.weights.size(); ++i) {
    ASSERT_EQ(a.weights[i].rows(), b.weights[i].rows());
    ASSERT_EQ(a.weights[i].cols(), b.weights[i].cols());
    // == on every entry: bit for bit for finite numbers other than ±0.
    EXPECT_TRUE((a.weights[i].array() == b.weights[i].array()).all()) << "weights[" << i << "]";
    ASSERT_EQ(a.biases[i].size(), b.biases[i].size());
    EXPECT_TRUE((a.biases[i].array() == b.biases[i].array()).all()) << "biases[" << i << "]";
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What network2.py's save() writes for a [2, 3, 1] net: json.dump of
// {"sizes": ..., "weights": [w.tolist()], "biases": [b.tolist()], "cost": cost.__name__},
// with Python's float reprs.
const char* kBookFile =
    "{\"sizes\": [2, 3, 1], "
    "\"weights\": [[[0.1, -0.2], [1.5, 2.0], [-3.25, 1e-05]], [[0.5, -1.0, 0.30000000000000004]]], "
    "\"biases\": [[[0.01], [-0.02], [3.0]], [[-1.2345678901234567e-10]]], "
    "\"cost\": \"CrossEntropyCost\"}";

}  // namespace

// Issue 16: limits before allocation: the text's size, its number of values, the layers.
TEST(ModelIo, LimitsAreCheckedBeforeAllocating) {
  std::string many_layers = R"({"sizes": [1)";
  for (int i = 1; i < kMaxNetLayers + 1; ++i) many_layers += ", 1";
  many_layers += R"(], "weights": [], "biases": [], "cost": "QuadraticCost"})";
  LoadResult r = read_model_json(many_layers);
  EXPECT_NE(r.error.find("at most 100 layers"), std::string::npos) << r.error;
  // Rows checked before the 12000 x 830 matrix (80 MB) is allocated.
  std::string empty_rows = R"({"sizes": [12000, 830], "weights": [[)";
  for (int j = 0; j < 830; ++j) empty_rows += j ? ", []" : "[]";
  empty_rows += R"(]], "biases": [[[0]]], "cost": "QuadraticCost"})";
  r = read_model_json(empty_rows);
  EXPECT_NE(r.error.find("weights[0][0] has 0 numbers, expected 12000"), std::string::npos) << r.error;
  // The reproducer of the 400 MB allocation: past the parameter limit now.
  std::ifstream f(std::string(BPLAB_TEST_DATA_DIR) + "/model/model_3KB_allocates_400MB.json");
  std::stringstream text;
  text << f.rdbuf();
  ASSERT_GT(text.str().size(), 3000u);
  r = read_model_json(text.str());
  EXPECT_NE(r.error.find("parameters"), std::string::npos) << r.error;
  // The text limit: what a net of kMaxParameters needs, refused before parsing.
  EXPECT_NE(read_model_json(std::string(size_t(kMaxModelTextBytes) + 1, ' ')).error.find("more than the limit"),
            std::string::npos);
}

TEST(ModelIo, RoundTripsDoublesBitForBit) {
  struct Case {
    std::vector<int> sizes;
    Activation hidden, output;
    Cost cost;
  };
  const Case cases[] = {{{5, 4, 3}, Activation::Sigmoid, Activation::Sigmoid, Cost::Quadratic},
                        {{7, 6, 5, 2}, Activation::Tanh, Activation::Softmax, Cost::LogLikelihood},
                        {{3, 1}, Activation::ReLU, Activation::Sigmoid, Cost::CrossEntropy}};
  uint64_t seed = 1;
  for (const Case& c : cases) {
    Network<double> net = make_network<double>(c.sizes, Init::Scaled, seed++);
    net.hidden = c.hidden;
    net.output = c.output;
    net.cost = c.cost;
    net.weights[0](0, 0) = 1e-300;  // extremes survive too
    net.biases.back()(0) = -1.0 / 3.0;
    std::string error;
    const std::string text = model_to_json(net, &error);
    ASSERT_EQ(error, "");
    const LoadResult back = read_model_json(text);
    ASSERT_TRUE(back.ok()) << back.error;
    expect_same_net(back.net, net);
  }
}

TEST(ModelIo, RoundTripsFloatsWithShortText) {
  const Network<float> net = make_network<float>({10, 8, 4}, Init::Large, 7);
  const std::string text = model_to_json(net);
  ASSERT_FALSE(text.empty());
  const LoadResult back = read_model_json(text);
  ASSERT_TRUE(back.ok()) << back.error;
  expect_same_net(back.net.cast<float>(), net);
  // A float is written with at most 9 significant digits, not a double's 17.
  EXPECT_LT(text.size(), model_to_json(net.cast<double>()).size());
}

TEST(ModelIo, LoadsTheBooksFormat) {
  const LoadResult r = read_model_json(kBookFile);
  ASSERT_TRUE(r.ok()) << r.error;
  const Network<double>& net = r.net;
  EXPECT_EQ(net.sizes, (std::vector<int>{2, 3, 1}));
  EXPECT_EQ(net.cost, Cost::CrossEntropy);
  EXPECT_EQ(net.hidden, Activation::Sigmoid);  // the book's nets are sigmoid throughout
  EXPECT_EQ(net.output, Activation::Sigmoid);
  ASSERT_EQ(net.weights.size(), 2u);
  ASSERT_EQ(net.weights[0].rows(), 3);
  ASSERT_EQ(net.weights[0].cols(), 2);
  // Row j of the list is neuron j's weights w_jk.
  EXPECT_EQ(net.weights[0](0, 1), -0.2);
  EXPECT_EQ(net.weights[0](1, 0), 1.5);
  EXPECT_EQ(net.weights[0](2, 1), 1e-05);
  EXPECT_EQ(net.weights[1](0, 2), 0.1 + 0.2);
  ASSERT_EQ(net.biases[0].size(), 3);
  EXPECT_EQ(net.biases[0](1), -0.02);
  EXPECT_EQ(net.biases[0](2), 3.0);
  EXPECT_EQ(net.biases[1](0), -1.2345678901234567e-10);

  const LoadResult quadratic = read_model_json(std::string(kBookFile).replace(
      std::string(kBookFile).find("CrossEntropyCost"), 16, "QuadraticCost"));
  ASSERT_TRUE(quadratic.ok()) << quadratic.error;
  EXPECT_EQ(quadratic.net.cost, Cost::Quadratic);
}

TEST(ModelIo, WritesWhatTheBookReads) {
  Network<double> net = make_network<double>({2, 3, 1}, Init::Large, 3);
  net.weights[0](1, 1) = 2.0;  // an integral weight is still written as a float
  const std::string text = model_to_json(net);
  // json.dump's layout, the book's fields first and in save()'s order.
  EXPECT_EQ(text.rfind("{\"sizes\": [2, 3, 1], \"weights\": [[[", 0), 0u) << text.substr(0, 80);
  const json::ParseResult parsed = json::parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const json::Object& o = parsed.value.as_object();
  const char* fields[] = {"sizes", "weights", "biases", "cost", "activation", "output"};
  ASSERT_EQ(o.size(), 6u);
  for (size_t i = 0; i < o.size(); ++i) EXPECT_EQ(o[i].first, fields[i]);
  EXPECT_EQ(parsed.value.find("cost")->as_string(), "QuadraticCost");
  EXPECT_EQ(parsed.value.find("activation")->as_string(), "sigmoid");
  EXPECT_EQ(parsed.value.find("output")->as_string(), "sigmoid");
  // Biases as numpy's (n, 1) tolist(): a list of one-number lists.
  const json::Array& b0 = parsed.value.find("biases")->as_array()[0].as_array();
  ASSERT_EQ(b0.size(), 3u);
  for (const json::Value& row : b0) ASSERT_TRUE(row.is_array() && row.as_array().size() == 1 && row.as_array()[0].is_number());
  EXPECT_NE(text.find("2.0"), std::string::npos);
}

TEST(ModelIo, RejectsBadModelsWithMessages) {
  const json::Value base = json::parse(kBookFile).value;
  ASSERT_TRUE(base.is_object());
  using Edit = std::function<void(json::Value&)>;
  const auto field = [](json::Value& v, const char* name) -> json::Value& {
    for (json::Member& m : v.as_object())
      if (m.first == name) return m.second;
    throw std::runtime_error("no field");
  };
  const auto remove = [](const char* name) -> Edit {
    return [name](json::Value& v) {
      json::Object& o = v.as_object();
      for (size_t i = 0; i < o.size(); ++i)
        if (o[i].first == name) o.erase(o.begin() + std::ptrdiff_t(i));
    };
  };
  const auto set = [&](const char* name, json::Value x) -> Edit {
    return [=](json::Value& v) { v.set(name, x); };
  };
  const auto w = [&](json::Value& v) -> json::Array& { return field(v, "weights").as_array(); };
  const auto b = [&](json::Value& v) -> json::Array& { return field(v, "biases").as_array(); };
  struct Case {
    Edit edit;
    std::string expected;  // part of the message
  };
  const std::vector<Case> cases = {
      {remove("sizes"), "missing field \"sizes\""},
      {remove("weights"), "missing field \"weights\""},
      {remove("biases"), "missing field \"biases\""},
      {remove("cost"), "missing field \"cost\""},
      {set("cost", "SquaredCost"), "unknown cost \"SquaredCost\""},
      {set("cost", 3), "cost must be a string"},
      {set("activation", "softmax"), "unknown activation \"softmax\""},
      {set("output", "relu"), "unknown output \"relu\""},
      {set("activaton", "relu"), "unknown field \"activaton\""},
      {set("sizes", "2,3,1"), "sizes must be a list of positive integers"},
      {set("sizes", json::Array{json::Value(2), json::Value(3.5), json::Value(1)}), "sizes[1] is 3.5"},
      {set("sizes", json::Array{json::Value(2), json::Value(0), json::Value(1)}), "sizes[1] is 0"},
      {set("sizes", json::Array{json::Value(2), json::Value(-3), json::Value(1)}), "sizes[1] is -3"},
      {set("sizes", json::Array{json::Value(2), json::Value("3"), json::Value(1)}), "sizes[1] is a string"},
      {set("sizes", json::Array{json::Value(2), json::Value(1e10), json::Value(1)}), "sizes[1] is"},
      {set("sizes", json::Array{json::Value(2)}), "at least two layers"},
      {set("sizes", json::Array{json::Value(100000), json::Value(100000), json::Value(1)}), "10000000 parameters"},
      {set("sizes", json::Array{json::Value(2), json::Value(3), json::Value(2)}), "weights[1] has 1 rows, expected 2"},
      {set("sizes", json::Array{json::Value(2), json::Value(3), json::Value(1), json::Value(1)}),
       "weights has 2 layers, expected 3"},
      {[&](json::Value& v) { w(v).pop_back(); }, "weights has 1 layers, expected 2"},
      {[&](json::Value& v) { b(v).pop_back(); }, "biases has 1 layers, expected 2"},
      {[&](json::Value& v) { w(v)[1].as_array()[0].as_array().pop_back(); }, "weights[1][0] has 2 numbers, expected 3"},
      {[&](json::Value& v) { w(v)[0].as_array().pop_back(); }, "weights[0] has 2 rows, expected 3"},
      {[&](json::Value& v) { w(v)[0].as_array()[2].as_array()[1] = "0.5"; }, "weights[0][2][1] is a string, not a number"},
      {[&](json::Value& v) { w(v)[0].as_array()[2].as_array()[1] = json::Value(); }, "weights[0][2][1] is null"},
      {[&](json::Value& v) { w(v)[0].as_array()[2].as_array()[1] = json::Array{json::Value(1.0)}; },
       "weights[0][2][1] is a list"},
      {[&](json::Value& v) { w(v)[0].as_array()[1] = 1.5; }, "weights[0][1] must be a list"},
      {[&](json::Value& v) { w(v)[1] = json::Object{}; }, "weights[1] must be a list, got an object"},
      {[&](json::Value& v) { b(v)[0].as_array()[1] = 0.5; }, "biases[0][1] must be a list of one number"},
      {[&](json::Value& v) { b(v)[0].as_array()[1] = json::Array{json::Value(0.5), json::Value(0.5)}; },
       "biases[0][1] must be a list of one number"},
      {[&](json::Value& v) { b(v)[0].as_array()[2].as_array()[0] = true; }, "biases[0][2][0] is a boolean, not a number"},
      {[&](json::Value& v) { b(v)[1].as_array().push_back(json::Array{json::Value(1.0)}); }, "biases[1] has 2 rows, expected 1"},
      {[&](json::Value& v) { v = json::Array{}; }, "a model must be a JSON object"},
  };
  for (const Case& c : cases) {
    json::Value v = base;
    c.edit(v);
    const LoadResult r = read_model_json(json::write(v));
    EXPECT_FALSE(r.ok()) << "accepted, expected: " << c.expected;
    EXPECT_NE(r.error.find(c.expected), std::string::npos) << "message: " << r.error << "\nexpected: " << c.expected;
    EXPECT_TRUE(r.net.sizes.empty() && r.net.weights.empty());
  }
}

TEST(ModelIo, RejectsInvalidJsonAndNonFiniteNumbers) {
  const std::string book = kBookFile;
  const auto with = [&](const char* from, const char* to) {
    std::string s = book;
    s.replace(s.find(from), std::strlen(from), to);
    return s;
  };
  for (const std::string& text :
       {with("1.5", "NaN"), with("1.5", "Infinity"), with("1.5", "-Infinity"), with("1.5", "1e999"), with("1.5", "nan"),
        book.substr(0, book.size() - 1), book + ",", std::string(), std::string("null")}) {
    const LoadResult r = read_model_json(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_FALSE(r.error.empty());
  }
  EXPECT_NE(read_model_json(with("1.5", "1e999")).error.find("too large"), std::string::npos);
  EXPECT_NE(read_model_json(with("1.5", "NaN")).error.find("not valid JSON: line 1, column"), std::string::npos);
}

TEST(ModelIo, ChecksSizesBeforeAllocating) {
  // 2e9 x 2e9 weights would need 32 exabytes; the limit must refuse it without trying (trying
  // would throw std::bad_alloc or be killed, not return this error).
  const LoadResult r = read_model_json(
      "{\"sizes\": [2000000000, 2000000000], \"weights\": [[]], \"biases\": [[]], \"cost\": \"QuadraticCost\"}");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("parameters"), std::string::npos) << r.error;
}

TEST(ModelIo, SavesAndLoadsFiles) {
  TempDir dir("bplab_model_io_");
  const std::string path = dir.file("net.json");
  Network<double> net = make_network<double>({4, 3, 2}, Init::Scaled, 11);
  net.hidden = Activation::ReLU;
  std::string error;
  ASSERT_TRUE(save_model_file(path, net, &error)) << error;
  const LoadResult r = load_model_file(path);
  ASSERT_TRUE(r.ok()) << r.error;
  expect_same_net(r.net, net);
  EXPECT_EQ(dir.count(), 1u);  // no temporary file left behind

  // Saving again replaces the file.
  net.weights[0](0, 0) = 42.0;
  ASSERT_TRUE(save_model_file(path, net.cast<float>(), &error)) << error;
  EXPECT_EQ(load_model_file(path).net.weights[0](0, 0), 42.0);
  EXPECT_EQ(dir.count(), 1u);

  const LoadResult missing = load_model_file(dir.file("nope.json"));
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("nope.json"), std::string::npos) << missing.error;

  std::ofstream(dir.file("bad.json")) << "{\"sizes\": [2, 1]}";
  const LoadResult bad = load_model_file(dir.file("bad.json"));
  EXPECT_NE(bad.error.find("bad.json: missing field \"weights\""), std::string::npos) << bad.error;
}

TEST(ModelIo, RefusesToSaveNonFiniteNetsAndKeepsTheOldFile) {
  TempDir dir("bplab_model_io_");
  const std::string path = dir.file("net.json");
  const Network<double> good = make_network<double>({3, 2}, Init::Scaled, 5);
  std::string error;
  ASSERT_TRUE(save_model_file(path, good, &error)) << error;
  const std::string before = read_file(path);
  ASSERT_FALSE(before.empty());

  for (double bad_value : {std::nan(""), double(INFINITY), -double(INFINITY)}) {
    Network<double> bad = good;
    bad.biases[0](1) = bad_value;
    error.clear();
    EXPECT_FALSE(save_model_file(path, bad, &error));
    EXPECT_NE(error.find("NaN or infinite"), std::string::npos) << error;
    EXPECT_EQ(model_to_json(bad), "");
    EXPECT_EQ(read_file(path), before);
  }
  Network<double> bad = good;
  bad.weights[0](0, 0) = std::nan("");
  EXPECT_FALSE(save_model_file(dir.file("new.json"), bad, &error));
  EXPECT_FALSE(fs::exists(dir.file("new.json")));

  // Settings the format cannot hold are refused on saving rather than on loading.
  Network<double> tanh_output = good;
  tanh_output.output = Activation::Tanh;
  EXPECT_FALSE(save_model_file(path, tanh_output, &error));
  EXPECT_NE(error.find("output activation \"tanh\""), std::string::npos) << error;
  EXPECT_EQ(read_file(path), before);

  // A failed write (no such directory) reports it and creates nothing.
  EXPECT_FALSE(save_model_file(dir.file("missing/net.json"), good, &error));
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
  EXPECT_EQ(dir.count(), 1u);
}

TEST(ModelIo, ParsesA784x100x10Model) {
  const Network<double> net = make_network<double>({784, 100, 10}, Init::Scaled, 1);
  const std::string text = model_to_json(net);
  EXPECT_GT(text.size(), 1000000u);
  const auto start = std::chrono::steady_clock::now();
  const LoadResult r = read_model_json(text);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok()) << r.error;
  expect_same_net(r.net, net);
  std::printf("[ info     ] %zu bytes of JSON read in %.1f ms\n", text.size(), ms);  // a figure, not a test
}

TEST(ModelIo, SurvivesRandomMutations) {
  const std::string valid = model_to_json(make_network<double>({3, 2, 2}, Init::Scaled, 9));
  std::mt19937 rng(12345);
  const std::string alphabet = "[]{},:\"-+.eE0123456789 nulltruefalseNaN\\";
  int accepted = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string s = valid;
    const int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s[at] = char(rng() % 256); break;
        case 2: s.erase(at, 1 + rng() % 8); break;
        case 3: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 4: s.insert(at, s.substr(rng() % s.size(), rng() % 16)); break;
      }
    }
    const LoadResult r = read_model_json(s);
    if (r.ok()) {
      ++accepted;
      EXPECT_EQ(check_network(r.net), "") << s;
    } else {
      EXPECT_FALSE(r.error.empty());
    }
  }
  // Some mutations (inside a number) keep the file valid; most do not.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 4000);
}
