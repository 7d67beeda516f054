// Draws Dear ImGui's draw lists with WebGL2 (Emscripten only), in place of imgui_impl_opengl3.
//
// Why: imgui_impl_opengl3 saves and restores about twenty pieces of GL state around every
// frame (glGetIntegerv, glIsEnabled), so that it can share a context with other renderers. In
// WebGL each of those is a synchronous round trip to the browser's GPU process, which waits for
// the previous frame's drawing to finish: measured in headless Chromium, 40 ms of a 44 ms frame
// at 1280x800. This app owns its context, so this renderer sets the state it needs and never
// reads any back. The font atlas is kept as a single channel of coverage; the app's other
// textures (the canvas, the 28x28 input, the weight and gradient images: main.cpp's textures
// section) are RGBA, and one shader draws both (its `coverage` uniform says which). Natively,
// imgui_impl_opengl3 is used as it is.
#pragma once

struct ImDrawData;

namespace bplab::platform {

bool web_renderer_init();                  // after the context is current; false on failure
bool web_renderer_new_frame();             // builds the font texture when the atlas changed
                                           // (then true)
void web_renderer_render(ImDrawData* data);
void web_renderer_shutdown();

}  // namespace bplab::platform
