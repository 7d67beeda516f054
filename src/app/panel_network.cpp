// The Network screen: the layers of neurons coloured by their activation for the current
// input (or by δ after a backward pass), connections coloured by weight, and the first layer's
// weights as 28x28 images, one per hidden neuron.
//
// Index (network_panel calls the parts in this order, as imgui_demo.cpp calls its sections)
// [SECTION] Weight images
// [SECTION] The screen's parts, top to bottom: colour_choice, layout_diagram, input_layer,
//           connections, neurons, neuron_tooltip, first_layer_weights
// [SECTION] The screen: network_panel
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/app_internal.hpp"
#include "app/hasher.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"
#include "engine/backprop.hpp"

#include "app/fonts.hpp"

namespace bplab::app {

namespace {

// [SECTION] Weight images

constexpr int kMaxShown = 40;  // neurons drawn per layer; larger layers are sampled evenly

// The neurons of a layer of n to draw: all of them, or at most `most` spread evenly.
std::vector<int> shown(int n, int most) {
  std::vector<int> idx;
  const int k = std::min(n, most);
  for (int i = 0; i < k; ++i) idx.push_back(k == n ? i : int(std::lround(double(i) * (n - 1) / (k - 1))));
  return idx;
}

// One neuron's weights from the input layer as a 28x28 image, blue positive, orange negative.
void weight_image(ImDrawList* dl, ImVec2 p, float side, const Matrix<float>& w, int j) {
  const float scale = ui::max_abs(w.row(j).data(), w.row(j).data() + w.cols());
  const int n = side >= 56 ? kSide : kSide / 2;  // small: 14x14 averages of 2x2
  const int f = kSide / n;
  const float c = side / n;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      float v = 0;
      for (int dy = 0; dy < f; ++dy)
        for (int dx = 0; dx < f; ++dx) v += w(j, (y * f + dy) * kSide + x * f + dx);
      dl->AddRectFilled(ImVec2(p.x + x * c, p.y + y * c), ImVec2(p.x + (x + 1) * c, p.y + (y + 1) * c),
                        ui::diverging(v / (f * f), scale));
    }
}

// The first `count` neurons' weight images as one texture: 28x28 tiles, kTilesPerRow to a row,
// blue positive and orange negative as weight_image draws them. 0 without textures.
constexpr int kTilesPerRow = 10;
std::uintptr_t weight_texture(App& app, const Matrix<float>& w, int count, bool smooth) {
  if (!app.options.texture || w.cols() != kSide * kSide || count <= 0) return 0;
  // Weights unchanged (an idle screen, or between the training worker's states): nothing to make.
  TextureImage& t = app.weight_images;
  const size_t n = size_t(count) * size_t(w.cols());  // the first `count` rows (row-major)
  if (t.id && t.smooth == smooth && t.made_from.size() == n && std::equal(t.made_from.begin(), t.made_from.end(), w.data()))
    return t.id;
  const int rows = (count + kTilesPerRow - 1) / kTilesPerRow;
  const int width = kTilesPerRow * kSide, height = rows * kSide;
  std::vector<unsigned char> rgba(size_t(width) * size_t(height) * 4, 0);
  for (int j = 0; j < count; ++j) {
    const float scale = ui::max_abs(w.row(j).data(), w.row(j).data() + w.cols());
    const int x0 = (j % kTilesPerRow) * kSide, y0 = (j / kTilesPerRow) * kSide;
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        ui::put_rgba(&rgba[(size_t(y0 + y) * size_t(width) + size_t(x0 + x)) * 4],
                     ui::diverging(w(j, y * kSide + x), scale));
      }
  }
  const std::uintptr_t id = update_texture(app, t, width, height, std::move(rgba), smooth);
  if (id) t.made_from.assign(w.data(), w.data() + n);
  return id;
}

// [SECTION] The screen's parts, top to bottom

// "Colour neurons by": activation or δ, and for δ the label of the backward pass.
void colour_choice(App& app, const Network<float>& net, int label, const Trace<double>& t) {
  const Lab& lab = app.lab;
  ImGui::TextUnformatted("Colour neurons by");
  ImGui::SameLine();
  if (ui::RadioButton("activation a", !app.show_delta)) app.show_delta = false;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("error delta").x + ImGui::GetFrameHeight() * 2) ImGui::NewLine();
  if (ui::RadioButton(have_greek() ? "error δ" : "error delta", app.show_delta)) app.show_delta = true;
  if (app.show_delta) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("the target (label 0)").x + 30);
    // The label of the backward pass: the target (index 0), or a digit.
    std::vector<std::string> labels{"the target (label " + std::to_string(lab.target_label()) + ")"};
    for (int d = 0; d < net.sizes.back(); ++d) labels.push_back("label " + std::to_string(d));
    int chosen = app.delta_label + 1;
    if (ui::Combo("##label of the backward pass", &chosen, labels)) app.delta_label = chosen - 1;
    ImGui::SameLine();
    ImGui::TextDisabled("backward pass for y = %d, cost C = %.4f", label, t.cost);
    ui::sign_legend(have_greek() ? "δ:" : "delta:");
  }
  if (!lab.has_input()) ImGui::TextDisabled("Draw a digit (or show a test digit) to see the activations.");
}

// Where the diagram's parts go: the input image at the left, layers 2..L as columns of the
// shown neurons.
struct Diagram {
  ImDrawList* dl = nullptr;
  ImVec2 p;             // top left
  float width = 0;
  int L = 0;            // layers
  float top = 0, bottom = 0;
  float img = 0;        // the input image's side
  ImVec2 ip;            // the input image's top left
  float x0 = 0, x1 = 0;  // the columns of layers 2 and L
  std::vector<std::vector<int>> idx;     // the shown neurons of each layer
  std::vector<std::vector<ImVec2>> pos;  // and their centres
  std::vector<float> radius;
  bool two_rows = false;  // the layers' names on two alternating rows (a narrow window: 400% zoom)
  float layer_x(int l) const { return l == 0 ? p.x + 4 + img / 2 : x0 + (x1 - x0) * float(l) / (L - 1); }
};

Diagram layout_diagram(const Network<float>& net, ImVec2 p, float width, float height) {
  Diagram d;
  d.dl = ImGui::GetWindowDrawList();
  d.p = p;
  d.width = width;
  d.L = net.num_layers();
  d.two_rows = width < 520;
  d.top = p.y + ImGui::GetTextLineHeight() * (d.two_rows ? 2 : 1) + 6, d.bottom = p.y + height - 4;
  d.img = std::min({d.bottom - d.top, width / (d.L + 1.5f), 168.0f});
  d.x0 = p.x + 4 + d.img, d.x1 = p.x + width - 30 - ImGui::CalcTextSize("9  0.00").x;
  d.ip = ImVec2(p.x + 4, d.top + (d.bottom - d.top - d.img) / 2);
  // Positions of the shown neurons of layers 2..L.
  d.idx.resize(d.L);
  d.pos.resize(d.L);
  d.radius.assign(d.L, 0);
  // At most one neuron per 24 px of height, so that each is a 24x24 pointer target (WCAG 2.5.8).
  const int most = std::clamp(int((d.bottom - d.top) / 24), 2, kMaxShown);
  for (int l = 1; l < d.L; ++l) {
    d.idx[l] = shown(net.sizes[l], most);
    const int k = int(d.idx[l].size());
    const float spacing = (d.bottom - d.top) / k;
    d.radius[l] = std::clamp(spacing * 0.38f, 2.5f, 14.0f);
    for (int i = 0; i < k; ++i) d.pos[l].push_back(ImVec2(d.layer_x(l), d.top + spacing * (i + 0.5f)));
  }
  return d;
}

// Input layer: the 28x28 image.
void input_layer(App& app, const Diagram& d) {
  const Lab& lab = app.lab;
  ImDrawList* dl = d.dl;
  const ImVec2 ip = d.ip;
  const float img = d.img;
  if (const std::uintptr_t id = grey_texture(app, app.input_image, lab.input().data(), kSide, kSide, /*smooth=*/false)) {
    dl->AddImage(ImTextureID(id), ip, ImVec2(ip.x + img, ip.y + img));
  } else {
    for (int y = 0; y < kSide; ++y)
      for (int xx = 0; xx < kSide; ++xx) {
        const float c = img / kSide;
        dl->AddRectFilled(ImVec2(ip.x + xx * c, ip.y + y * c), ImVec2(ip.x + (xx + 1) * c, ip.y + (y + 1) * c),
                          ui::grey(lab.input()[y * kSide + xx]));
      }
  }
  dl->AddRect(ip, ImVec2(ip.x + img, ip.y + img), ui::palette().outline);
}

// Connections. Input to the first hidden layer: one faint line per hidden neuron (its weights
// are the images below); between drawn layers: one line per weight, by sign and size.
void connections(const Diagram& d, const Network<float>& net) {
  ImDrawList* dl = d.dl;
  const auto& idx = d.idx;
  const auto& pos = d.pos;
  for (int l = 1; l < d.L; ++l) {
    const Matrix<float>& w = net.weights[l - 1];
    if (l == 1) {
      for (const ImVec2& q : pos[1])
        dl->AddLine(ImVec2(d.ip.x + d.img, d.ip.y + d.img / 2), q, (ui::palette().outline & 0x00FFFFFF) | (40u << 24));
      continue;
    }
    float scale = 1e-12f;
    for (int j : idx[l])
      for (int k : idx[l - 1]) scale = std::max(scale, std::abs(w(j, k)));
    for (size_t a = 0; a < idx[l].size(); ++a)
      for (size_t b = 0; b < idx[l - 1].size(); ++b) {
        const float v = w(idx[l][a], idx[l - 1][b]);
        const float t01 = std::abs(v) / scale;
        if (t01 < 0.05f) continue;
        ImU32 c = ui::diverging(v, scale);
        c = (c & 0x00FFFFFF) | (ImU32(30 + 170 * t01) << 24);
        dl->AddLine(pos[l - 1][b], pos[l][a], c, 0.5f + 1.5f * t01);
      }
  }
}

// Neurons, each layer's heading, and which neuron the mouse is over (layer, index; -1 none).
std::pair<int, int> neurons(App& app, const Diagram& d, const Network<float>& net, const Trace<double>& t,
                            bool hovered) {
  const Lab& lab = app.lab;
  ImDrawList* dl = d.dl;
  const ImVec2 p = d.p;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const int L = d.L;
  int hover_l = -1, hover_j = -1;
  for (int l = 1; l < L; ++l) {
    const std::vector<int>& idx = d.idx[l];
    const std::vector<ImVec2>& pos = d.pos[l];
    const float radius = d.radius[l];
    const Vector<double>& values = app.show_delta ? t.delta[l - 1] : t.a[l];
    const float dscale = ui::max_abs(t.delta[l - 1].data(), t.delta[l - 1].data() + t.delta[l - 1].size());
    for (size_t i = 0; i < idx.size(); ++i) {
      const int j = idx[i];
      const float v = float(values(j));
      const ImU32 fill = app.show_delta ? ui::diverging(v, dscale) : ui::activation(v);
      dl->AddCircleFilled(pos[i], radius, fill, 20);
      dl->AddCircle(pos[i], radius, ui::palette().outline, 20);
      if (l == L - 1) {
        char text[32];
        std::snprintf(text, sizeof text, "%d  %.2f", j, t.a[l](j));
        dl->AddText(ImVec2(pos[i].x + radius + 4, pos[i].y - ImGui::GetTextLineHeight() / 2),
                    j == lab.predicted() && lab.has_input() ? ui::palette().accent : ImGui::GetColorU32(ImGuiCol_Text), text);
      }
      // The pointer target: the neuron's slot, at least 24 px wide and as high as the spacing.
      const float dx = mouse.x - pos[i].x, dy = mouse.y - pos[i].y;
      const float half_h = (d.bottom - d.top) / float(2 * idx.size());
      if (hovered && std::abs(dx) <= std::max(radius + 2, 12.0f) && std::abs(dy) <= half_h) { hover_l = l; hover_j = j; }
    }
    char head[64];
    if (int(idx.size()) < net.sizes[l]) std::snprintf(head, sizeof head, "layer %d: %d of %d", l + 1, int(idx.size()), net.sizes[l]);
    else std::snprintf(head, sizeof head, "layer %d (%d)", l + 1, net.sizes[l]);
    const float tw = ImGui::CalcTextSize(head).x;
    const float row = d.two_rows && l % 2 ? ImGui::GetTextLineHeight() : 0;
    dl->AddText(ImVec2(std::max(p.x, std::min(d.layer_x(l) - tw / 2, p.x + d.width - tw)), p.y + row), ui::palette().dim, head);
  }
  dl->AddText(ImVec2(p.x + 4, p.y), ui::palette().dim, "layer 1 (784)");
  return {hover_l, hover_j};
}

// What the book's equations give for the neuron under the mouse.
void neuron_tooltip(const Network<float>& net, const Trace<double>& t, int hover_l, int hover_j) {
  ImGui::BeginTooltip();
  ImGui::Text("layer %d, neuron %d", hover_l + 1, hover_j);
  ImGui::Text("z = %.4f", t.z[hover_l - 1](hover_j));
  ImGui::Text(have_greek() ? "a = σ(z) = %.4f" : "a = sigma(z) = %.4f", t.a[hover_l](hover_j));
  ImGui::Text(have_greek() ? "δ = ∂C/∂z = %+.4g" : "delta = dC/dz = %+.4g", t.delta[hover_l - 1](hover_j));
  ImGui::Text("b = %+.4f", double(net.biases[hover_l - 1](hover_j)));
  ImGui::EndTooltip();
}

// The first layer's weights, one 28x28 image per neuron of layer 2 (each in its own child
// window: its own draw list, so a big layer stays within 16-bit vertex indices).
void first_layer_weights(App& app, const Network<float>& net, const Trace<double>& t) {
  const int n2 = net.sizes[1];
  const int count = std::min(n2, 100);
  ImGui::TextDisabled("Weights into layer 2, one image per neuron%s", count < n2 ? " (the first 100)" : "");
  ImGui::SameLine();
  ui::sign_legend("");
  const ImVec2 wavail = ImGui::GetContentRegionAvail();
  const float gap = 4;
  // The largest tile with which all images fit the space left (at least 24 pixels).
  float tile = 24;
  for (float s = 112; s >= 24; s -= 4) {
    const int per_row = std::max(1, int((wavail.x + gap) / (s + gap)));
    const int rows = (count + per_row - 1) / per_row;
    if (rows * (s + gap) <= wavail.y) { tile = s; break; }
  }
  // As one texture when the platform has textures (30 quads instead of 23,520), else as
  // rectangles. Smoothed when shown smaller than 28 pixels, sharp pixels when larger.
  const std::uintptr_t texture = weight_texture(app, net.weights[0], count, tile < kSide);
  const float tex_w = float(kTilesPerRow * kSide), tex_h = float(app.weight_images.h);
  ImGui::BeginChild("weights", ImVec2(0, 0));
  const int per_row = std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / (tile + gap)));
  for (int j = 0; j < count; ++j) {
    if (j % per_row) ImGui::SameLine(0, gap);
    ImGui::PushID(j);
    if (texture) {
      const float u = float((j % kTilesPerRow) * kSide), v = float((j / kTilesPerRow) * kSide);
      ImGui::Image(ImTextureID(texture), ImVec2(tile, tile), ImVec2(u / tex_w, v / tex_h),
                   ImVec2((u + kSide) / tex_w, (v + kSide) / tex_h));
    } else {
      ImGui::BeginChild("w", ImVec2(tile, tile), ImGuiChildFlags_None, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoInputs);
      weight_image(ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), tile, net.weights[0], j);
      ImGui::EndChild();
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(have_greek() ? "neuron %d of layer 2: a = %.3f, δ = %+.3g" : "neuron %d of layer 2: a = %.3f, delta = %+.3g",
                        j, t.a[1](j), t.delta[0](j));
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace

const Trace<double>& network_trace(App& app, const Vector<double>& x, int label) {
  const Network<double>& net = model_in_double(app);
  Hasher h;
  h.value(app.model_double.key);
  h.bytes(x.data(), sizeof(double) * size_t(x.size()));
  h.value(label);
  if (app.network_trace.key != h.h || app.network_trace.t.a.empty()) {
    app.network_trace.t = backprop(net, x, label, book_output_delta(net.cost, net.output));
    app.network_trace.key = h.h;
  }
  return app.network_trace.t;
}

// [SECTION] The screen
void network_panel(App& app) {
  Lab& lab = app.lab;
  const Network<float>& net = lab.model();
  const ImVec2 avail = ImGui::GetContentRegionAvail();

  // One forward and backward pass (double, the book's equations) for the current input.
  Vector<double> x = Eigen::Map<const Vector<float>>(lab.input().data(), kSide * kSide).cast<double>();
  const int label = app.delta_label >= 0 ? app.delta_label : lab.target_label();
  const Trace<double>& t = network_trace(app, x, std::clamp(label, 0, net.sizes.back() - 1));

  colour_choice(app, net, label, t);

  // The diagram takes the upper part, the first layer's weights the rest.
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float diagram_h = std::max(120.0f, rest.y * (avail.y > 500 ? 0.58f : 0.7f));
  const Diagram d = layout_diagram(net, ImGui::GetCursorScreenPos(), rest.x, diagram_h);
  ImGui::InvisibleButton("diagram", ImVec2(rest.x, diagram_h));
  {
    mirror::Description d;
    d.role = mirror::Role::Image;
    d.name = "Diagram of the network's layers, neurons coloured by " +
             std::string(app.show_delta ? "their error delta" : "their activation") +
             " (the numbers are in the table of this screen)";
    ui::describe_last(std::move(d));
  }
  const bool hovered = ImGui::IsItemHovered();
  input_layer(app, d);
  connections(d, net);
  const auto [hover_l, hover_j] = neurons(app, d, net, t, hovered);
  if (hover_l > 0) neuron_tooltip(net, t, hover_l, hover_j);

  first_layer_weights(app, net, t);
}

}  // namespace bplab::app
