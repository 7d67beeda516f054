// The parameter table (see settings.hpp).
#include "app/settings.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "app/derivation.hpp"
#include "app/screens.hpp"
#include "engine/activation.hpp"
#include "engine/cost.hpp"
#include "engine/json.hpp"

namespace bplab::app {

const char* to_string(Panel p) {
  const std::vector<Screen>& table = screens();
  return size_t(p) < table.size() ? table[size_t(p)].name : table.front().name;
}

std::vector<Cost> app_costs() {
  std::vector<Cost> out;
  for (const CostDescription& d : kCosts)
    if (d.with_sigmoid_output) out.push_back(d.id);
  return out;
}

std::vector<Activation> app_activations() {
  std::vector<Activation> out;
  for (const ActivationDescription& d : kActivations)
    if (d.use & kHiddenLayers) out.push_back(d.id);
  return out;
}

bool parse(std::string_view name, Panel& out) {
  const std::vector<Screen>& table = screens();
  for (size_t i = 0; i < table.size(); ++i)
    if (name == table[i].name) { out = Panel(i); return true; }
  return false;
}

namespace {

// Whole decimal numbers only ("12"), in [lo, hi].
bool read_int(std::string_view t, long long lo, long long hi, long long& out) {
  if (t.empty() || t.size() > 18) return false;
  long long v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

// A finite decimal number ("0.5", "3", "1e-3") in [lo, hi].
bool read_double(std::string_view t, double lo, double hi, double& out) {
  if (t.empty() || t.size() > 40) return false;
  for (char c : t)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
  const std::string s(t);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v) || v < lo || v > hi) return false;
  out = v;
  return true;
}

bool read_bool(std::string_view t, bool& out) {
  if (t == "1" || t == "true" || t == "yes" || t.empty()) { out = true; return true; }
  if (t == "0" || t == "false" || t == "no") { out = false; return true; }
  return false;
}

std::string number(double x) { return json::format_number(x, json::NumberFormat::Double); }

std::string quoted(std::string_view t) {
  std::string q;
  for (char c : t.substr(0, 40)) q += (c >= 32 && c < 127) ? c : '?';
  return "\"" + q + (t.size() > 40 ? "...\"" : "\"");
}

template <typename E>
std::string read_enum(std::string_view t, E& field, const char* what) {
  E v;
  if (!bplab::parse(std::string(t), v)) return std::string("unknown ") + what + " " + quoted(t);
  field = v;
  return "";
}

// The choices, from the engine's tables (the app's output layer is sigmoid).
const std::string kCostHelp = cost_names(true, " | ") + " (training and the derivation) | log-likelihood (the derivation screen only)";
const std::string kActivationHelp = activation_names(kHiddenLayers, " | ") + " (hidden layers)";

const std::vector<Param> kParams = {
  {"panel", "the screen: draw | train | network | derivation (screens.cpp's table)",
   [](Settings& s, std::string_view t) -> std::string {
     return parse(t, s.panel) ? "" : "unknown panel " + quoted(t);
   },
   [](const Settings& s) -> std::string { return to_string(s.panel); }},
  {"sizes", "layer sizes, e.g. 784,30,10",
   [](Settings& s, std::string_view t) -> std::string {
     std::vector<int> sizes;
     size_t start = 0;
     while (start <= t.size()) {
       const size_t comma = std::min(t.find(',', start), t.size());
       long long v = 0;
       if (!read_int(t.substr(start, comma - start), 1, kMaxLayerSize * 10, v) || sizes.size() >= size_t(kMaxLayers))
         return "sizes must be 2 to " + std::to_string(kMaxLayers) + " whole numbers separated by commas, got " + quoted(t);
       sizes.push_back(int(v));
       start = comma + 1;
     }
     if (std::string e = check_app_sizes(sizes); !e.empty()) return e;
     s.sizes = sizes;
     return "";
   },
   [](const Settings& s) -> std::string {
     std::string t;
     for (size_t i = 0; i < s.sizes.size(); ++i) t += (i ? "," : "") + std::to_string(s.sizes[i]);
     return t;
   }},
  {"eta", "learning rate η, > 0",
   [](Settings& s, std::string_view t) -> std::string {
     double v;
     if (!read_double(t, 0, kMaxEtaSetting, v) || v <= 0) return "eta must be a number in (0, 100], got " + quoted(t);
     s.eta = v;
     return "";
   },
   [](const Settings& s) { return number(s.eta); }},
  {"batch", "mini-batch size",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 1, 10000, v)) return "batch must be a whole number in [1, 10000], got " + quoted(t);
     s.batch = int(v);
     return "";
   },
   [](const Settings& s) { return std::to_string(s.batch); }},
  {"epochs", "epochs to train",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 1, kMaxEpochs, v)) return "epochs must be a whole number in [1, 1000], got " + quoted(t);
     s.epochs = int(v);
     return "";
   },
   [](const Settings& s) { return std::to_string(s.epochs); }},
  {"cost", kCostHelp.c_str(),
   [](Settings& s, std::string_view t) -> std::string {
     Cost c;
     if (!bplab::parse(std::string(t), c)) return "unknown cost " + quoted(t);
     // The app trains sigmoid outputs; a cost meant for softmax (log-likelihood) is the
     // derivation screen's alone, and the training cost stays as it was.
     if (describe(c).with_sigmoid_output) s.cost = c, s.derivation_cost.clear();
     else s.derivation_cost = to_string(c);
     return "";
   },
   [](const Settings& s) -> std::string { return s.derivation_cost.empty() ? to_string(s.cost) : s.derivation_cost; }},
  {"activation", kActivationHelp.c_str(),
   [](Settings& s, std::string_view t) -> std::string {
     Activation a;
     if (!bplab::parse(std::string(t), a) || !usable(a, kHiddenLayers)) return "unknown activation " + quoted(t);
     s.activation = a;
     return "";
   },
   [](const Settings& s) -> std::string { return to_string(s.activation); }},
  {"lambda", "L2 regularisation λ ≥ 0",
   [](Settings& s, std::string_view t) -> std::string {
     double v;
     if (!read_double(t, 0, kMaxLambda, v)) return "lambda must be a number in [0, 1000], got " + quoted(t);
     s.lambda = v;
     return "";
   },
   [](const Settings& s) { return number(s.lambda); }},
  {"init", "large | scaled",
   [](Settings& s, std::string_view t) { return read_enum(t, s.init, "init"); },
   [](const Settings& s) -> std::string { return to_string(s.init); }},
  {"seed", "random seed",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 0, 4294967295LL, v)) return "seed must be a whole number in [0, 4294967295], got " + quoted(t);
     s.seed = uint64_t(v);
     return "";
   },
   [](const Settings& s) { return std::to_string(s.seed); }},
  {"digit", "an MNIST test image index (0..9999) to show",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 0, kTestImages - 1, v)) return "digit must be a test image index in [0, 9999], got " + quoted(t);
     s.digit = int(v);
     return "";
   },
   [](const Settings& s) { return std::to_string(s.digit); }},
  {"autoplay", "start training on load (1 | 0)",
   [](Settings& s, std::string_view t) -> std::string {
     return read_bool(t, s.autoplay) ? "" : "autoplay must be 1 or 0, got " + quoted(t);
   },
   [](const Settings& s) -> std::string { return s.autoplay ? "1" : "0"; }},
  {"worker", "train in a Web Worker, not in the page's frames (1 | 0)",
   [](Settings& s, std::string_view t) -> std::string {
     return read_bool(t, s.worker) ? "" : "worker must be 1 or 0, got " + quoted(t);
   },
   [](const Settings& s) -> std::string { return s.worker ? "1" : "0"; }},
  {"embed", "only the chosen panel, no menus (1 | 0)",
   [](Settings& s, std::string_view t) -> std::string {
     return read_bool(t, s.embed) ? "" : "embed must be 1 or 0, got " + quoted(t);
   },
   [](const Settings& s) -> std::string { return s.embed ? "1" : "0"; }},
  {"theme", "dark | light",
   [](Settings& s, std::string_view t) -> std::string {
     if (t == "dark") s.dark = true;
     else if (t == "light") s.dark = false;
     else return "theme must be dark or light, got " + quoted(t);
     return "";
   },
   [](const Settings& s) -> std::string { return s.dark ? "dark" : "light"; }},
  {"hide", "parts to hide, comma separated: tabs, status, link",
   [](Settings& s, std::string_view t) -> std::string {
     std::vector<std::string> parts;
     size_t start = 0;
     while (start <= t.size()) {
       const size_t comma = std::min(t.find(',', start), t.size());
       const std::string_view part = t.substr(start, comma - start);
       start = comma + 1;
       if (part.empty()) continue;
       bool known = false;
       for (const char* k : kHideableParts) known = known || part == k;
       if (!known) return "hide: unknown part " + quoted(part) + " (tabs, status, link)";
       if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.emplace_back(part);
     }
     s.hide = parts;
     return "";
   },
   [](const Settings& s) -> std::string {
     std::string t;
     for (const std::string& part : s.hide) t += (t.empty() ? "" : ",") + part;
     return t;
   }},
  {"step", "derivation step, from 1 (the derivation's table of steps)",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 1, derivation_step_count(), v))
       return "step must be a derivation step in [1, " + std::to_string(derivation_step_count()) + "], got " + quoted(t);
     s.step = int(v);
     return "";
   },
   [](const Settings& s) { return s.step ? std::to_string(s.step) : std::string(); }},
  {"neuron", "derivation: the output neuron j",
   [](Settings& s, std::string_view t) -> std::string {
     long long v;
     if (!read_int(t, 0, kMaxLayerSize - 1, v)) return "neuron must be a whole number in [0, 999], got " + quoted(t);
     s.neuron = int(v);
     return "";
   },
   [](const Settings& s) { return s.neuron >= 0 ? std::to_string(s.neuron) : std::string(); }},
  {"output", "derivation: output layer sigmoid | softmax",
   [](Settings& s, std::string_view t) -> std::string {
     if (t != "sigmoid" && t != "softmax") return "output must be sigmoid or softmax, got " + quoted(t);
     s.output = std::string(t);
     return "";
   },
   [](const Settings& s) { return s.output; }},
  {"model", "a model JSON file on this site (relative URL)",
   [](Settings& s, std::string_view t) -> std::string {
     // A path on the page's own origin: no scheme ("javascript:", "http:"), no other host
     // ("//host"), nothing a URL parser could read as either. The page checks the origin again.
     bool safe = !t.empty() && t.size() <= 300 && t.substr(0, 2) != "//";
     for (char c : t)
       safe = safe && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
                       c == '_' || c == '.' || c == '/' || c == '~');
     if (!safe) return "model must be a relative URL on this site (letters, digits, - _ . / ~), got " + quoted(t);
     s.model = std::string(t);
     return "";
   },
   [](const Settings& s) { return s.model; }},
};

std::string url_decode(std::string_view t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '+') out += ' ';
    else if (t[i] == '%' && i + 2 < t.size() && json::hex_digit(t[i + 1]) >= 0 && json::hex_digit(t[i + 2]) >= 0) {
      out += char(json::hex_digit(t[i + 1]) * 16 + json::hex_digit(t[i + 2]));
      i += 2;
    } else out += t[i];
  }
  return out;
}

std::string url_encode(std::string_view t) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : t) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
        c == '_' || c == ',')
      out += char(c);
    else { out += '%'; out += digits[c >> 4]; out += digits[c & 15]; }
  }
  return out;
}

void set_param(std::string_view name, std::string_view value, Settings& s, std::vector<std::string>* warnings) {
  for (const Param& p : kParams) {
    if (name != p.name) continue;
    if (std::string e = p.read(s, value); !e.empty() && warnings) warnings->push_back(e + "; using the default");
    return;
  }
  if (warnings) warnings->push_back("unknown parameter " + quoted(name) + " ignored");
}

}  // namespace

const std::vector<Param>& params() { return kParams; }

bool Settings::hidden(std::string_view part) const {
  return std::find(hide.begin(), hide.end(), part) != hide.end();
}

std::string check_app_sizes(const std::vector<int>& sizes) {
  if (sizes.size() < 2 || sizes.size() > size_t(kMaxLayers))
    return "a net needs 2 to " + std::to_string(kMaxLayers) + " layers";
  if (sizes.front() != 784) return "the input layer must have 784 neurons (28x28 pixels)";
  if (sizes.back() != 10) return "the output layer must have 10 neurons (one per digit)";
  for (int n : sizes)
    if (n < 1 || n > kMaxLayerSize) return "each layer needs 1 to " + std::to_string(kMaxLayerSize) + " neurons";
  return "";
}

void read_query(std::string_view query, Settings& s, std::vector<std::string>* warnings) {
  while (!query.empty() && (query.front() == '?' || query.front() == '#')) query.remove_prefix(1);
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string name = url_decode(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    set_param(name, value, s, warnings);
  }
}

void read_args(const std::vector<std::string>& args, Settings& s, std::vector<std::string>* warnings) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || i + 1 >= args.size()) {
      if (warnings) warnings->push_back("argument " + quoted(a) + " ignored");
      continue;
    }
    const std::string value = args[++i];
    if (a == "--query") read_query(value, s, warnings);
    else set_param(std::string_view(a).substr(2), value, s, warnings);
  }
}

std::string write_query(const Settings& s) {
  const Settings defaults;
  std::string q;
  for (const Param& p : kParams) {
    const std::string v = p.write(s);
    if (v == p.write(defaults)) continue;
    q += (q.empty() ? "" : "&") + std::string(p.name) + "=" + url_encode(v);
  }
  return q;
}

}  // namespace bplab::app
