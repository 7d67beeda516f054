// The app as the platform layer sees it: made once, asked for one ImGui frame at a time.
//
// src/platform/main.cpp owns the window, the GL context, the ImGui context and the loop; it
// calls, in this order:
//
//   create(options)  once, after ImGui::CreateContext() and before the first frame: the place
//                    to add fonts or set the style (the renderer uploads fonts on the next frame).
//   prepare_frame(app, ratio)  once a frame, before ImGui::NewFrame(): fonts made again.
//   frame(app)       once a frame, between ImGui::NewFrame() and ImGui::Render(): builds the
//                    frame's windows. Must return promptly (the web has no threads: a long job
//                    is split into slices, a slice per frame).
//   background_color(app, rgb)  the colour to clear the screen to, before drawing a frame.
//   wants_quit(app)  after each frame on the desktop; ignored on the web.
//   destroy(app)     once on the desktop, before ImGui is shut down; never on the web.
//
// Code under src/app includes imgui.h and the engine, never SDL, OpenGL or Emscripten.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bplab::app {

struct Options {
  std::vector<std::string> args;  // the command-line arguments the platform did not use
  bool web = false;               // running in a browser
  float pixel_ratio = 1.0f;       // device pixels per ImGui unit when the app starts
  // The reader's preferences (on the web, the browser's): text size as a factor of the
  // default (the root font size / 16 px), and prefers-reduced-motion (no autoplay until asked).
  float font_scale = 1.0f;
  bool reduced_motion = false;
  // Where training runs (training_worker.hpp): the web page's Web Worker, or null for the
  // frame loop.
  std::shared_ptr<class TrainingWorker> worker;
  // Native: where My digits and the model are kept between runs (keep.hpp; "" keeps nothing).
  std::string data_dir;
  // Images as textures (the Network screen's weight images): makes (id 0) or updates texture
  // `id` with w×h RGBA pixels, smoothed or not when scaled, and returns its ImTextureID as a
  // number; with no pixels (w = 0) it deletes `id` and returns 0. Null: the app draws images
  // as rectangles, a quad a pixel. The platform must draw the next frame even if its draw data
  // did not change (the texture did).
  std::function<std::uintptr_t(std::uintptr_t id, int w, int h, const unsigned char* rgba, bool smooth)> texture;
};

struct App;

App* create(const Options& options);  // nullptr on failure, after printing why to stderr
void frame(App& app);
// Between frames, before ImGui::NewFrame(): makes the fonts again when the device pixel ratio
// changed (browser zoom, a window moved to another screen; 0: unchanged), so text stays sharp,
// or when a screen asked for fonts not made yet (the derivation's math fonts, on the web).
void prepare_frame(App& app, float pixel_ratio);
bool wants_quit(const App& app);
void destroy(App* app);
// The colour to clear the screen to before drawing a frame, as {r, g, b}: the app's window
// background. The app's main window draws no background of its own, so the largest area of the
// screen costs a clear instead of a blended quad (with software GL, a good part of a frame).
void background_color(const App& app, float rgb[3]);
// A file dropped on the window or the page: a digits file or a model, opened by its kind
// (keep.hpp); "" or why not (also noted on the status line).
std::string open_dropped_file(App& app, const std::string& path);

}  // namespace bplab::app
