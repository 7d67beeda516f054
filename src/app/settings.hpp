// The app's settings in one struct, and ONE table of its parameters that drives reading them
// from a URL or a command line and writing them back (as TensorFlow Playground's state.ts).
//
// Each row of the table names a parameter, says how to read it (with checks: a malformed value is
// refused with a reason and the default kept) and how to write it. Everything that reads or
// writes settings goes through the table, so a new setting is one new row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/types.hpp"

namespace bplab::app {

// A screen: Panel(i) is row i of screens.hpp's table, whose first four rows are these.
enum class Panel { Draw, Train, Network, Derivation };
const char* to_string(Panel p);                    // the row's name
bool parse(std::string_view name, Panel& out);     // by the rows' names

struct Settings {
  Panel panel = Panel::Draw;
  // The net and its training (the Train screen).
  std::vector<int> sizes = {784, 30, 10};
  double eta = 0.5;       // learning rate η
  int batch = 10;         // mini-batch size m
  int epochs = 30;        // epochs to train before stopping
  Cost cost = Cost::CrossEntropy;
  Activation activation = Activation::Sigmoid;  // σ of the hidden layers (the output is sigmoid)
  double lambda = 0.0;    // L2 regularisation λ
  Init init = Init::Scaled;
  uint64_t seed = 1;
  // What is shown and how.
  int digit = -1;         // an MNIST test image index to show instead of a drawing, -1: none
  bool autoplay = false;  // start training on load
  bool worker = true;     // train in a Web Worker where there is one (the web page), not in the frames
  bool embed = false;     // only the chosen panel, filling the frame, no menus
  bool dark = true;       // theme: dark | light
  std::vector<std::string> hide;  // parts not drawn, from kHideableParts ("tabs", "status", "link")
  // The derivation screen (setDerivation), 0 / -1 / "": the screen's own choice.
  int step = 0;           // 1..9
  int neuron = -1;        // the output neuron j
  std::string output;     // "sigmoid" | "softmax"
  std::string derivation_cost;  // a cost the app does not train with ("log-likelihood"), for the derivation alone
  // A model JSON file on the page's own origin, loaded by the page (web/embed.js) once the app
  // runs: a relative URL or an absolute path, never a scheme or another host.
  std::string model;

  bool hidden(std::string_view part) const;
};

// The costs and hidden activations the app offers (its output layer is sigmoid), in the order
// of the engine's tables (cost.hpp, activation.hpp): the settings and the Train screen's combos.
std::vector<Cost> app_costs();
std::vector<Activation> app_activations();

// What `hide` may name: the panel switcher, the status line beside it, the copy-link button.
inline constexpr const char* kHideableParts[] = {"tabs", "status", "link"};

// Limits that the Train screen and every reader enforce.
constexpr int kMaxLayerSize = 1000;
constexpr int kMaxLayers = 6;
constexpr int kMaxEpochs = 1000;
constexpr double kMaxEtaSetting = 100.0;
constexpr double kMaxLambda = 1000.0;
constexpr int kTestImages = 10000;

// One row of the table.
struct Param {
  const char* name;
  const char* help;
  // Sets the field from text; returns "" or why the text was refused (the field is unchanged).
  std::string (*read)(Settings&, std::string_view text);
  std::string (*write)(const Settings&);
};
const std::vector<Param>& params();

// "" or what is wrong with the sizes (input 784, output 10, 2..kMaxLayers layers, each 1..kMaxLayerSize).
std::string check_app_sizes(const std::vector<int>& sizes);

// Reads "a=1&b=2" (a URL's query or hash, with or without the leading ? or #; %xx and + decoded)
// into `s`. Every unknown name or refused value adds one warning and leaves the default.
void read_query(std::string_view query, Settings& s, std::vector<std::string>* warnings);
// Reads command-line arguments: "--name value" pairs and "--query a=1&b=2". Unknown ones warn.
void read_args(const std::vector<std::string>& args, Settings& s, std::vector<std::string>* warnings);
// The settings that differ from the defaults as a query string ("panel=train&eta=3").
std::string write_query(const Settings& s);

}  // namespace bplab::app
