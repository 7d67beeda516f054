// What the panels and the tests see of the app: the App struct behind app.hpp's opaque pointer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/lab.hpp"
#include "app/mirror.hpp"
#include "engine/backprop.hpp"
#include "engine/json.hpp"

namespace bplab::app {

struct DerivationView;

// An RGBA image kept by the platform as a texture (Options::texture).
struct TextureImage {
  std::uintptr_t id = 0;
  int w = 0, h = 0;
  bool smooth = false;
  std::vector<unsigned char> rgba;  // what the texture holds
  std::vector<float> made_from;     // the numbers its pixels were made from (the caller's to keep)
};

struct App {
  Options options;
  Lab lab;
  DerivationView* derivation = nullptr;
  bool show_box = false;         // Draw: show the bounding box and centre of mass
  bool show_delta = false;       // Network: colour neurons by δ instead of activation
  int delta_label = -1;          // Network: the label of the backward pass (-1: the target)
  std::string sizes_text;        // Train: the sizes field being edited
  std::string sizes_error;
  std::string model_text_error;
  std::string link;              // the last "copy link" query string (write_query)
  int link_requests = 0;         // times the copy-link button was pressed (the page copies the link)
  long frames = 0;
  double shown_fps = 0;          // Train: the frame rate as shown, refreshed twice a second
  double shown_fps_time = -1;    // ImGui time of that refresh
  bool wants_math_fonts = false;  // the derivation was asked for before its fonts were made
  TextureImage weight_images;    // Network: the first layer's weights, a 28x28 tile a neuron
  TextureImage canvas_image;     // Draw: the canvas's ink
  TextureImage input_image;      // Draw and Network: the 28x28 input the net sees
  TextureImage mistake_images;   // Mistakes: the listed test digits, a 28x28 tile each
  struct {
    int label = -1, predicted = -1;  // the open cell; -1, -1: the most confident mistakes
    int shown = 0;                   // how many of its digits are shown (0: the first page)
  } mistakes;                    // Mistakes: what is open (panel_mistakes.cpp)
  mirror::Mirror mirror;          // the frame's controls and words, for the page's DOM (mirror.hpp)
  std::string announced_key;     // Draw: the drawing and answer last announced (screen_words.cpp)
  int selected_example = -1;     // Draw: the kept digit chosen in My digits' gallery
  bool confirm_clear = false;    // Draw: "Clear all" was pressed; it asks first
  struct {
    int examples = 0;            // the set's serial and the model's key last written (keep.cpp)
    uint64_t model = 0;
    double last_ms = -1e9;
    bool failed = false;
  } kept;
  struct {
    bool running = false;        // training ran in the last frame
    double said_at = -1e9;       // ImGui time of the last word about a running run
    int said_epoch = -1;         // the epoch whose accuracy was said last
    bool end_pending = false;    // finished: waiting for the last epoch's test accuracy
  } training_speech;             // training_speech() (screen_words.cpp)
  int shown_panel = -1;          // the screen of the last frame: a change is announced
  struct {
    uint64_t key = 0;            // hash of the float model it was made from
    Network<double> net;
  } model_double;                // model_in_double's copy
  struct {
    uint64_t key = 0;            // hash of model_double.key, the input and the label
    Trace<double> t;
  } network_trace;               // Network: the trace it shows (panel_network.cpp)
  struct {
    int start = 1;               // 0: (w, b) = (0.6, 0.9), 1: (2, 2)
    int epoch = 100;             // the epoch whose numbers are shown
  } slowdown;                    // Slowdown: the single neuron (panel_slowdown.cpp)
  bool quit = false;
};

// The model in double, for the screens that compute the book's equations (Network, Derivation):
// made again only when the model changes, since the largest net's copy (30 MB) took a large part
// of every frame.
const Network<double>& model_in_double(App& app);

// The Network screen's forward and backward pass of x for `label` on model_in_double's net, made
// again only when the model, the input or the label changes (for the largest net a pass took a
// third of every frame).
const Trace<double>& network_trace(App& app, const Vector<double>& x, int label);

// Gives `t` these pixels, uploading them only if they differ from what it holds; the texture's
// ImTextureID as a number, or 0 when the platform has no textures (draw rectangles then).
std::uintptr_t update_texture(App& app, TextureImage& t, int w, int h, std::vector<unsigned char>&& rgba, bool smooth);

// Values in [0, 1], w×h row-major, as a grey image (ui::grey) in `t`, made again only when the
// values change; the texture's id as update_texture gives it (0: no textures).
std::uintptr_t grey_texture(App& app, TextureImage& t, const float* values, int w, int h, bool smooth);

// The screens' draw functions (screens.cpp's table), each panel in its own file.
void draw_panel(App& app);
void train_panel(App& app);
void network_panel(App& app);
void derivation_panel(App& app);  // app.cpp
void slowdown_panel(App& app);    // panel_slowdown.cpp, with its words
void slowdown_words(App& app);
void mistakes_panel(App& app);
// The Mistakes screen's fields of state(): the open cell.
void mistakes_state(const App& app, json::Object& state);
// Shows test digit `index` on the Derivation screen, with its MNIST label; "" or why not.
std::string open_in_derivation(App& app, int index);
// Screens in words for the mirror (screen_words.cpp).
void draw_words(App& app);
void train_words(App& app);
void network_words(App& app);
void mistakes_words(App& app);
// Training in a few words, paced (screen_words.cpp): when it starts, at most every
// kTrainingSpeechSeconds while it runs, when it stops or finishes; whatever the screen.
constexpr double kTrainingSpeechSeconds = 6;
void training_speech(App& app);
// "Train screen." when the screen changes (not for the first screen).
void screen_speech(App& app);


// Runs one row of the page's command table (Lab::commands()) for the whole app: done when it
// returns, state() shows all of its effect.
json::Value app_command(App& app, const std::string& name, const json::Value& args);
// The rows of the table that need the whole app (app.cpp).
json::Value app_state(App& app, const json::Value& args);
json::Value app_set_derivation(App& app, const json::Value& args);
json::Value app_answer_quiz(App& app, const json::Value& args);
json::Value app_derivation_transcript(App& app, const json::Value& args);
json::Value app_mirror(App& app, const json::Value& args);
json::Value app_mirror_act(App& app, const json::Value& args);
json::Value app_copy_link(App& app, const json::Value& args);

}  // namespace bplab::app
