// What the panels and the tests see of the app: the App struct behind app.hpp's opaque pointer.
#pragma once

#include <string>

#include "app/app.hpp"
#include "app/lab.hpp"
#include "engine/json.hpp"

namespace bplab::app {

struct DerivationView;

struct App {
  Options options;
  Lab lab;
  DerivationView* derivation = nullptr;
  std::string transcript;        // derivation_transcript() of the last frame it was shown
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
  bool quit = false;
};

// The panels, each in its own file.
void draw_panel(App& app);
void train_panel(App& app);
void network_panel(App& app);

// An API command for the app (setDerivation and derivationTranscript here, the rest to Lab).
json::Value app_command(App& app, const std::string& name, const json::Value& args);

}  // namespace bplab::app
