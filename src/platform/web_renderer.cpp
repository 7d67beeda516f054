// Draws Dear ImGui's draw lists with WebGL2 (see web_renderer.hpp).
#include "platform/web_renderer.hpp"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstddef>
#include <cstdio>

namespace bplab::platform {

namespace {

struct Renderer {
  GLuint program = 0, vao = 0, vbo = 0, ebo = 0, font_texture = 0;
  GLint projection = -1, texture = -1, coverage = -1;
};
Renderer g;

constexpr const char* kVertexShader = R"(#version 300 es
precision highp float;
uniform mat4 projection;
layout (location = 0) in vec2 position;
layout (location = 1) in vec2 uv;
layout (location = 2) in vec4 color;
out vec2 frag_uv;
out vec4 frag_color;
void main() {
  frag_uv = uv;
  frag_color = color;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

constexpr const char* kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D tex;
uniform bool coverage;  // tex is the font atlas: one 8-bit channel of coverage (web_renderer_new_frame)
in vec2 frag_uv;
in vec4 frag_color;
layout (location = 0) out vec4 out_color;
void main() {
  vec4 t = texture(tex, frag_uv);
  out_color = coverage ? vec4(frag_color.rgb, frag_color.a * t.r) : frag_color * t;  // else an RGBA image
}
)";

GLuint compile(GLenum type, const char* source) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &source, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[512] = {};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "bplab-app: shader: %s\n", log);
    glDeleteShader(s);
    return 0;
  }
  return s;
}

}  // namespace

bool web_renderer_init() {
  const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader), fs = compile(GL_FRAGMENT_SHADER, kFragmentShader);
  if (!vs || !fs) return false;
  g.program = glCreateProgram();
  glAttachShader(g.program, vs);
  glAttachShader(g.program, fs);
  glLinkProgram(g.program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(g.program, GL_LINK_STATUS, &ok);
  if (!ok) {
    std::fprintf(stderr, "bplab-app: the ImGui shader program does not link\n");
    return false;
  }
  g.projection = glGetUniformLocation(g.program, "projection");
  g.texture = glGetUniformLocation(g.program, "tex");
  g.coverage = glGetUniformLocation(g.program, "coverage");

  glGenVertexArrays(1, &g.vao);
  glGenBuffers(1, &g.vbo);
  glGenBuffers(1, &g.ebo);
  glBindVertexArray(g.vao);
  glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ebo);  // part of the vertex array's state
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, pos));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, uv));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, col));
  glBindVertexArray(0);

  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "bplab_webgl2";
  return true;
}

bool web_renderer_new_frame() {
  ImGuiIO& io = ImGui::GetIO();
  if (g.font_texture && io.Fonts->IsBuilt()) return false;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  // Coverage alone, as a one-channel texture: a quarter of the upload of RGBA (the atlas is
  // 1024x1024, and texture uploads are slow with software WebGL), and no RGBA copy to make.
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the atlas
  if (!g.font_texture) glGenTextures(1, &g.font_texture);
  glBindTexture(GL_TEXTURE_2D, g.font_texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(ImTextureID(intptr_t(g.font_texture)));
  io.Fonts->ClearTexData();  // the pixels live on the GPU now
  return true;
}

void web_renderer_render(ImDrawData* data) {
  const int fb_w = int(data->DisplaySize.x * data->FramebufferScale.x);
  const int fb_h = int(data->DisplaySize.y * data->FramebufferScale.y);
  if (fb_w <= 0 || fb_h <= 0 || !g.program) return;

  // The whole state this renderer needs, set every frame; none of it is read back.
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glViewport(0, 0, fb_w, fb_h);
  glUseProgram(g.program);
  glUniform1i(g.texture, 0);
  glActiveTexture(GL_TEXTURE0);
  const float l = data->DisplayPos.x, r = l + data->DisplaySize.x;
  const float t = data->DisplayPos.y, b = t + data->DisplaySize.y;
  const float ortho[16] = {2.0f / (r - l), 0, 0, 0, 0, 2.0f / (t - b), 0, 0, 0, 0, -1, 0,
                           (r + l) / (l - r), (t + b) / (b - t), 0, 1};
  glUniformMatrix4fv(g.projection, 1, GL_FALSE, ortho);
  glBindVertexArray(g.vao);
  glBindBuffer(GL_ARRAY_BUFFER, g.vbo);

  const ImVec2 clip_off = data->DisplayPos, clip_scale = data->FramebufferScale;
  GLuint bound = GLuint(-1);  // no texture bound yet this frame
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(list->VtxBuffer.Size) * GLsizeiptr(sizeof(ImDrawVert)),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(list->IdxBuffer.Size) * GLsizeiptr(sizeof(ImDrawIdx)),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const float x0 = (cmd.ClipRect.x - clip_off.x) * clip_scale.x, y0 = (cmd.ClipRect.y - clip_off.y) * clip_scale.y;
      const float x1 = (cmd.ClipRect.z - clip_off.x) * clip_scale.x, y1 = (cmd.ClipRect.w - clip_off.y) * clip_scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor(int(x0), int(float(fb_h) - y1), int(x1 - x0), int(y1 - y0));  // GL's y goes up
      const GLuint texture = GLuint(intptr_t(cmd.GetTexID()));
      if (texture != bound) {
        glBindTexture(GL_TEXTURE_2D, texture);
        glUniform1i(g.coverage, texture == g.font_texture);
        bound = texture;
      }
      glDrawElements(GL_TRIANGLES, GLsizei(cmd.ElemCount), sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     (void*)(intptr_t(cmd.IdxOffset) * intptr_t(sizeof(ImDrawIdx))));
    }
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

void web_renderer_shutdown() {
  if (g.font_texture) glDeleteTextures(1, &g.font_texture);
  if (g.vbo) glDeleteBuffers(1, &g.vbo);
  if (g.ebo) glDeleteBuffers(1, &g.ebo);
  if (g.vao) glDeleteVertexArrays(1, &g.vao);
  if (g.program) glDeleteProgram(g.program);
  g = Renderer{};
  ImGui::GetIO().Fonts->SetTexID(ImTextureID(0));
}

}  // namespace bplab::platform
