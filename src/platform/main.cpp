// The platform layer: the only code that knows SDL2, OpenGL and Emscripten.
//
// One frame function serves both targets: the desktop calls it in a `while` loop, the browser
// through emscripten_set_main_loop (one call per requestAnimationFrame). The order is Dear
// ImGui's examples' (example_sdl2_opengl3/main.cpp): SDL, GL context, ImGui, backends, loop,
// and shutdown in reverse (desktop only: a web page is never shut down).
//
//   bplab-app [--frames N] [--screenshot FILE.png] [--size WxH] [app arguments...]
//
//   --frames N         render N frames, then exit with code 0 (smoke tests, screenshots)
//   --screenshot FILE  with --frames: write the last frame to FILE as a PNG
//   --size WxH         the window's initial size in screen coordinates (default 1280x800;
//                      desktop only: on the web the page's canvas decides), e.g. 320x240 to
//                      see an embed's layout
//
// Index
// [SECTION] Includes and GL versions
// [SECTION] Web: still frames
// [SECTION] Command line
// [SECTION] Web: canvas size, first-frame signal
// [SECTION] Frame
// [SECTION] Textures for the app's images (Options::texture)
// [SECTION] Main: set up, loop, shut down

// [SECTION] Includes and GL versions
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl2.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "app/app.hpp"
#include "app/keep.hpp"
#include "platform/png.hpp"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include "platform/web_renderer.hpp"
#include "platform/web_worker.hpp"
// WebGL2 = OpenGL ES 3.0. ImGui is drawn by our own renderer (web_renderer.hpp says why).
constexpr int kGlMajor = 3, kGlMinor = 0;
constexpr int kGlProfile = SDL_GL_CONTEXT_PROFILE_ES;
bool renderer_init() { return bplab::platform::web_renderer_init(); }
bool renderer_new_frame() { return bplab::platform::web_renderer_new_frame(); }
void renderer_render(ImDrawData* d) { bplab::platform::web_renderer_render(d); }
void renderer_shutdown() { bplab::platform::web_renderer_shutdown(); }
#else
#include <SDL_opengl.h>
// OpenGL 3.0 core, as Dear ImGui's SDL2 + OpenGL3 example, drawn by ImGui's own backend.
constexpr int kGlMajor = 3, kGlMinor = 0;
constexpr int kGlProfile = SDL_GL_CONTEXT_PROFILE_CORE;
bool renderer_init() { return ImGui_ImplOpenGL3_Init("#version 130"); }
bool renderer_new_frame() { ImGui_ImplOpenGL3_NewFrame(); return false; }
void renderer_render(ImDrawData* d) { ImGui_ImplOpenGL3_RenderDrawData(d); }
void renderer_shutdown() { ImGui_ImplOpenGL3_Shutdown(); }
#endif

namespace {

// [SECTION] Web: still frames
#ifdef __EMSCRIPTEN__
// A frame whose draw data is byte for byte the last drawn frame's is not drawn again: the
// canvas keeps showing it (WebGL presents only a frame that drew something). The app still
// runs every frame (input, training, the page's API); only the GL work is saved, which with
// software WebGL is most of a frame, and frees the CPU for the training worker. Exact: the
// whole draw data is compared, not a hash.
class StillFrames {
 public:
  // True if `d` draws exactly what the last frame given here drew.
  bool same_as_last(const ImDrawData& d) {
    now_.clear();
    put(d.DisplayPos);
    put(d.DisplaySize);
    put(d.FramebufferScale);
    put(d.CmdListsCount);
    for (int n = 0; n < d.CmdListsCount; ++n) {
      const ImDrawList& list = *d.CmdLists[n];
      put(list.VtxBuffer.Size);
      put(list.IdxBuffer.Size);
      put(list.CmdBuffer.Size);
      put_bytes(list.VtxBuffer.Data, size_t(list.VtxBuffer.Size) * sizeof(ImDrawVert));
      put_bytes(list.IdxBuffer.Data, size_t(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
      for (const ImDrawCmd& cmd : list.CmdBuffer) {
        put(cmd.ClipRect);
        put(cmd.TextureId);
        put(cmd.VtxOffset);
        put(cmd.IdxOffset);
        put(cmd.ElemCount);
        put(cmd.UserCallback);
      }
    }
    const bool same = now_ == last_;
    now_.swap(last_);
    return same;
  }
  void forget() { last_.clear(); }  // the next frame is drawn whatever it shows

 private:
  template <class T>
  void put(const T& v) { put_bytes(&v, sizeof v); }
  void put_bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    now_.insert(now_.end(), b, b + n);
  }
  std::vector<unsigned char> now_, last_;
};
#endif

// [SECTION] Command line

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  bplab::app::App* app = nullptr;
  long frames_left = -1;    // --frames: frames still to render, -1 for no limit
  std::string screenshot;   // --screenshot: where to write the last frame
  std::string data_dir;     // --data-dir: where My digits and the model are kept
  bool data_dir_given = false;
  int width = 1280, height = 800;  // --size: the window's initial size
  long frames_drawn = 0;    // frames rendered (on the web, still frames are not: see StillFrames)
  long frames_run = 0;      // frames the app ran
  long last_vertices = 0, last_draw_calls = 0;  // what the last drawn frame drew
  double longest_frame_ms = 0;  // the longest frame the app ran (its own work) since bplab_frames(4) read it
#ifdef __EMSCRIPTEN__
  StillFrames still;
#endif
  bool done = false;
  int exit_code = 0;
};

// Takes the platform's options out of argv; the rest goes to the app. False on a bad option.
bool parse_args(int argc, char** argv, Platform& p, std::vector<std::string>& app_args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--frames" && i + 1 < argc) {
      char* end = nullptr;
      p.frames_left = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || p.frames_left < 1) {
        std::fprintf(stderr, "bplab-app: --frames wants a count of at least 1\n");
        return false;
      }
    } else if (a == "--screenshot" && i + 1 < argc) {
      p.screenshot = argv[++i];
    } else if (a == "--data-dir" && i + 1 < argc) {
      p.data_dir = argv[++i];  // where My digits and the model are kept ("" keeps nothing)
      p.data_dir_given = true;
    } else if (a == "--size" && i + 1 < argc) {
      char extra = 0;
      if (std::sscanf(argv[++i], "%dx%d%c", &p.width, &p.height, &extra) != 2 || p.width < 1 ||
          p.height < 1) {
        std::fprintf(stderr, "bplab-app: --size wants WxH, e.g. 320x240\n");
        return false;
      }
    } else {
      app_args.push_back(a);
    }
  }
  if (!p.screenshot.empty() && p.frames_left < 0) {
    std::fprintf(stderr, "bplab-app: --screenshot needs --frames N (the frame to capture)\n");
    return false;
  }
  return true;
}

// [SECTION] Web: canvas size, first-frame signal
#ifdef __EMSCRIPTEN__
// The page sizes the canvas with CSS; its backing store follows in device pixels so the image
// stays crisp. SDL follows window resizes itself; this also catches layout changes and moves
// between screens of another devicePixelRatio. SDL's window size is in CSS pixels.
void follow_canvas_size(SDL_Window* window) {
  static double last_ratio = 0;
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double ratio = emscripten_get_device_pixel_ratio();
  int w = 0, h = 0;
  SDL_GetWindowSize(window, &w, &h);
  const int want_w = css_w < 1 ? 1 : int(css_w), want_h = css_h < 1 ? 1 : int(css_h);
  if (want_w != w || want_h != h || ratio != last_ratio) {
    last_ratio = ratio;
    SDL_SetWindowSize(window, want_w, want_h);  // sets the canvas to want * ratio pixels
  }
}

// A User Timing mark ("bplab: what"), seen in the browser's performance tools and read by
// tests/web/smoke.mjs and tests/web/bench.mjs to report where start-up time goes.
void mark(const char* what) {
  EM_ASM({ if (globalThis.performance && performance.mark) performance.mark('bplab: ' + UTF8ToString($0)); },
         what);
}

// Tells the page (web/backprop-lab.js) that a frame has been drawn.
void signal_first_frame() {
  EM_ASM({
    if (globalThis.backpropLab && globalThis.backpropLab._firstFrameDrawn) {
      globalThis.backpropLab._firstFrameDrawn();
    }
  });
}
#else
// Natively, BPLAB_TIMING=1 prints the same marks, in ms since the first one, to stderr.
void mark(const char* what) {
  static const bool on = std::getenv("BPLAB_TIMING") != nullptr;
  static const Uint64 t0 = SDL_GetPerformanceCounter();
  if (on) {
    const double ms = 1e3 * double(SDL_GetPerformanceCounter() - t0) / double(SDL_GetPerformanceFrequency());
    std::fprintf(stderr, "bplab: %s %.1f ms\n", what, ms);
  }
}
#endif

// [SECTION] Frame

// Runs one frame: events, the app's windows, drawing. Sets p.done when it is time to stop.
void frame(Platform& p) {
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) p.done = true;
    if (event.type == SDL_DROPFILE && event.drop.file) {  // a digits file or a model, by its kind
      bplab::app::open_dropped_file(*p.app, event.drop.file);
      SDL_free(event.drop.file);
    }
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(p.window)) {
      p.done = true;
    }
  }
#ifdef __EMSCRIPTEN__
  follow_canvas_size(p.window);
  bplab::app::prepare_frame(*p.app, float(emscripten_get_device_pixel_ratio()));
#else
  if (SDL_GetWindowFlags(p.window) & SDL_WINDOW_MINIMIZED) {
    SDL_Delay(10);  // nothing to draw; do not spin
    return;
  }
  bplab::app::prepare_frame(*p.app, 0);  // the window's scale is read once, at start
#endif

  const bool first = p.frames_drawn == 0;
  const bool new_texture = renderer_new_frame();
  if (first) mark("font atlas");  // built and uploaded on the first NewFrame
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  bplab::app::frame(*p.app);
  ImGui::Render();
  ++p.frames_run;
  if (first) mark("first frame built");
#ifdef __EMSCRIPTEN__
  if (new_texture) p.still.forget();
  if (p.still.same_as_last(*ImGui::GetDrawData()) && !first) {
    if (bplab::app::wants_quit(*p.app)) p.done = true;
    return;
  }
#else
  (void)new_texture;
#endif

  const ImGuiIO& io = ImGui::GetIO();
  const int fb_w = int(io.DisplaySize.x * io.DisplayFramebufferScale.x);
  const int fb_h = int(io.DisplaySize.y * io.DisplayFramebufferScale.y);
  glViewport(0, 0, fb_w, fb_h);
  float background[3];
  bplab::app::background_color(*p.app, background);
  glClearColor(background[0], background[1], background[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImDrawData* drawn = ImGui::GetDrawData();
  renderer_render(drawn);
  p.last_vertices = drawn->TotalVtxCount;
  p.last_draw_calls = 0;
  for (int n = 0; n < drawn->CmdListsCount; ++n) p.last_draw_calls += drawn->CmdLists[n]->CmdBuffer.Size;

  ++p.frames_drawn;
  if (p.frames_left > 0 && --p.frames_left == 0) {
    p.done = true;
    if (!p.screenshot.empty()) {
      // The back buffer, before the swap: rows come bottom first.
      std::vector<unsigned char> rgb(size_t(fb_w) * fb_h * 3);
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadPixels(0, 0, fb_w, fb_h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
      if (!bplab::platform::write_png(p.screenshot, fb_w, fb_h, rgb, /*bottom_up=*/true)) {
        std::fprintf(stderr, "bplab-app: cannot write %s\n", p.screenshot.c_str());
        p.exit_code = 1;
      }
    }
  }
  SDL_GL_SwapWindow(p.window);
  if (first) mark("first frame drawn");
#ifdef __EMSCRIPTEN__
  if (p.frames_drawn == 1) signal_first_frame();
#endif
  if (bplab::app::wants_quit(*p.app)) p.done = true;
}

#ifdef __EMSCRIPTEN__
// One frame, timed: the app's own share of a frame, for the benchmarks (bplab_frames(4)) to tell
// it from the browser's (a long gap between animation frames that the app did not take).
void web_frame(void* platform) {
  Platform& p = *static_cast<Platform*>(platform);
  const double t0 = emscripten_get_now();
  frame(p);
  p.longest_frame_ms = std::max(p.longest_frame_ms, emscripten_get_now() - t0);
}
#endif

Platform* g_platform = nullptr;  // for bplab_frames below

// [SECTION] Textures for the app's images (Options::texture)
std::uintptr_t app_texture(Platform& p, std::uintptr_t id, int w, int h, const unsigned char* rgba, bool smooth) {
  GLuint texture = GLuint(id);
  if (w <= 0 || h <= 0 || !rgba) {
    if (texture) glDeleteTextures(1, &texture);
    return 0;
  }
  if (!texture) glGenTextures(1, &texture);
  if (!texture) return 0;
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, smooth ? GL_LINEAR : GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, smooth ? GL_LINEAR : GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
#ifdef __EMSCRIPTEN__
  p.still.forget();  // the same draw data may show a new picture now
#else
  (void)p;
#endif
  return std::uintptr_t(texture);
}

}  // namespace

#ifdef __EMSCRIPTEN__
// For the page's benchmarks (tests/web/bench.mjs): `which` 0 gives the frames run since the
// start, 1 the frames drawn, 2 the vertices and 3 the draw calls of the last frame drawn.
extern "C" EMSCRIPTEN_KEEPALIVE double bplab_frames(int which) {
  if (!g_platform) return 0;
  const Platform& p = *g_platform;
  switch (which) {
    case 0: return double(p.frames_run);
    case 1: return double(p.frames_drawn);
    case 2: return double(p.last_vertices);
    case 3: return double(p.last_draw_calls);
    case 4: return std::exchange(g_platform->longest_frame_ms, 0.0);  // the app's longest frame since the last read, ms
    default: return 0;
  }
}
#endif

// [SECTION] Main: set up, loop, shut down
int main(int argc, char** argv) {
  // Static: on the web main() returns into the browser while frames go on using it.
  static Platform p;
  g_platform = &p;
  mark("main");
  bplab::app::Options options;
  if (!parse_args(argc, argv, p, options.args)) return 2;

#ifdef __EMSCRIPTEN__
  // Keys go to the canvas only (it has tabindex and takes focus on a click), not to the whole
  // window: with several embeds on one course page, only the focused one hears the keyboard,
  // and the page around it keeps its own keys. Must be set before SDL_Init.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
#endif
  // SDL. Only video (with events): no audio, joystick or timer threads are used.
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::fprintf(stderr, "bplab-app: SDL_Init: %s\n", SDL_GetError());
    return 1;
  }

  // GL context.
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, kGlProfile);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, kGlMajor);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, kGlMinor);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);  // ImGui draws in 2D: no depth or stencil
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                     SDL_WINDOW_ALLOW_HIGHDPI);
  p.window = SDL_CreateWindow("Backprop Lab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              p.width, p.height, flags);
  if (!p.window) {
    std::fprintf(stderr, "bplab-app: SDL_CreateWindow: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  p.gl = SDL_GL_CreateContext(p.window);
  if (!p.gl) {
    std::fprintf(stderr, "bplab-app: SDL_GL_CreateContext: %s\n", SDL_GetError());
    SDL_DestroyWindow(p.window);
    SDL_Quit();
    return 1;
  }
  SDL_GL_MakeCurrent(p.window, p.gl);
  mark("GL context");
  SDL_GL_SetSwapInterval(1);  // vsync; the browser paces frames itself

  // ImGui.
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
#ifdef __EMSCRIPTEN__
  // On the web the browser owns the keyboard's focus: Tab walks through the DOM controls that
  // mirror the widgets (web/mirror.js), so ImGui's own keyboard navigation stays off.
  // No imgui.ini on the web: its file system is in memory and lost on reload. The app keeps
  // its state in the page's URL instead.
  io.IniFilename = nullptr;
  options.web = true;
  options.pixel_ratio = float(emscripten_get_device_pixel_ratio());
  // The reader's preferences, as web/backprop-lab.js read them from the browser.
  options.font_scale = float(EM_ASM_DOUBLE({
    const p = globalThis.backpropLab && backpropLab.preferences;
    return p && p.fontScale > 0 ? p.fontScale : 1;
  }));
  options.reduced_motion = EM_ASM_INT({
    const p = globalThis.backpropLab && backpropLab.preferences;
    return p && p.reducedMotion ? 1 : 0;
  });
  options.worker = bplab::platform::make_web_worker();  // training off the main thread
#else
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  {
    int w = 0, dw = 0;
    SDL_GetWindowSize(p.window, &w, nullptr);
    SDL_GL_GetDrawableSize(p.window, &dw, nullptr);
    options.pixel_ratio = w > 0 ? float(dw) / float(w) : 1.0f;
  }
#endif
  ImGui::StyleColorsDark();

  // Backends.
  ImGui_ImplSDL2_InitForOpenGL(p.window, p.gl);
  if (!renderer_init()) {
    std::fprintf(stderr, "bplab-app: cannot set up the renderer\n");
    return 1;
  }
  mark("renderer");

  options.texture = [](std::uintptr_t id, int w, int h, const unsigned char* rgba, bool smooth) {
    return app_texture(p, id, w, h, rgba, smooth);
  };
#ifndef __EMSCRIPTEN__
  // My digits and the model between runs: under XDG_DATA_HOME, or --data-dir; a screenshot run
  // (the tests) keeps nothing unless told where.
  options.data_dir = p.data_dir_given ? p.data_dir : p.screenshot.empty() ? bplab::app::default_data_dir() : "";
#endif
  p.app = bplab::app::create(options);
  mark("app created");
  if (!p.app) p.exit_code = 1;

  // Loop.
  if (p.app) {
#ifdef __EMSCRIPTEN__
    // Never returns: the browser calls web_frame once per animation frame from now on.
    emscripten_set_main_loop_arg(web_frame, &p, 0, true);
#else
    while (!p.done) frame(p);
#endif
  }

  // Shutdown, in reverse.
  if (p.app) bplab::app::destroy(p.app);
  renderer_shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(p.gl);
  SDL_DestroyWindow(p.window);
  SDL_Quit();
  return p.exit_code;
}
