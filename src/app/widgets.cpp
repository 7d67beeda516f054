// The mirror's thin layer over Dear ImGui's widgets (widgets.hpp).
#include "app/widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bplab::app::ui {

namespace {

// The value the page set for the last item, parsed as a finite number.
bool take_number(mirror::Mirror* m, double* out) {
  if (!m) return false;
  const std::optional<std::string> v = m->take_value(ImGui::GetItemID());
  if (!v) return false;
  char* end = nullptr;
  const double x = std::strtod(v->c_str(), &end);
  if (end == v->c_str() || *end || !std::isfinite(x)) return false;
  *out = x;
  return true;
}

std::string formatted(const char* format, double v, bool integer) {
  char text[64];
  if (integer) std::snprintf(text, sizeof text, format, int(v));
  else std::snprintf(text, sizeof text, format, v);
  return text;
}

void describe(mirror::Mirror* m, const char* label, mirror::Description d) {
  if (!m) return;
  if (d.name.empty()) d.name = mirror::visible_label(label);
  m->describe(ImGui::GetItemID(), std::move(d));
}

}  // namespace

mirror::Mirror* current_mirror() { return mirror::Mirror::current(); }

bool SliderFloat(const char* label, float* v, float min, float max, const char* format, ImGuiSliderFlags flags) {
  mirror::Mirror* m = current_mirror();
  bool changed = ImGui::SliderFloat(label, v, min, max, format, flags);
  double x = 0;
  if (take_number(m, &x)) {
    *v = std::clamp(float(x), min, max);
    changed = true;
  }
  mirror::Description d;
  d.role = mirror::Role::Slider;
  d.number = *v, d.min = min, d.max = max;
  d.log = (flags & ImGuiSliderFlags_Logarithmic) != 0;
  d.value = formatted(format, *v, false);
  describe(m, label, std::move(d));
  return changed;
}

bool SliderInt(const char* label, int* v, int min, int max, const char* format, ImGuiSliderFlags flags) {
  mirror::Mirror* m = current_mirror();
  bool changed = ImGui::SliderInt(label, v, min, max, format, flags);
  double x = 0;
  if (take_number(m, &x)) {
    *v = int(std::clamp(std::round(x), double(min), double(max)));
    changed = true;
  }
  mirror::Description d;
  d.role = mirror::Role::Slider;
  d.number = *v, d.min = min, d.max = max, d.step = 1;
  d.log = (flags & ImGuiSliderFlags_Logarithmic) != 0;
  d.value = formatted(format, *v, true);
  describe(m, label, std::move(d));
  return changed;
}

bool InputText(const char* label, char* buf, size_t size) {
  mirror::Mirror* m = current_mirror();
  bool changed = ImGui::InputText(label, buf, size);
  if (m && size > 0)
    if (std::optional<std::string> v = m->take_value(ImGui::GetItemID())) {
      std::snprintf(buf, size, "%s", v->c_str());
      changed = true;
    }
  mirror::Description d;
  d.role = mirror::Role::Text;
  d.value = buf;
  describe(m, label, std::move(d));
  return changed;
}

bool InputInt(const char* label, int* v) {
  mirror::Mirror* m = current_mirror();
  bool changed = ImGui::InputInt(label, v, 0, 0);  // no +/- buttons: the page has a number field
  double x = 0;
  if (take_number(m, &x)) {
    *v = int(std::clamp(std::round(x), -2147483647.0, 2147483647.0));
    changed = true;
  }
  mirror::Description d;
  d.role = mirror::Role::Number;
  d.number = *v, d.min = -2147483647.0, d.max = 2147483647.0, d.step = 1;
  d.value = std::to_string(*v);
  describe(m, label, std::move(d));
  return changed;
}

bool RadioButton(const char* label, bool active, const char* group) {
  const bool pressed = ImGui::RadioButton(label, active);
  mirror::Description d;
  d.role = mirror::Role::Radio;
  d.on = active;
  if (group) d.group = group;
  describe(current_mirror(), label, std::move(d));
  return pressed;
}

bool ToggleButton(const char* label, bool on) {
  if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
  const bool pressed = ImGui::Button(label);
  if (on) ImGui::PopStyleColor();
  mirror::Description d;
  d.role = mirror::Role::Toggle;
  d.on = on;
  describe(current_mirror(), label, std::move(d));
  return pressed;
}

bool Combo(const char* label, int* current, const std::vector<std::string>& options) {
  mirror::Mirror* m = current_mirror();
  const int n = int(options.size());
  bool changed = false;
  const char* preview = *current >= 0 && *current < n ? options[size_t(*current)].c_str() : "";
  const bool open = ImGui::BeginCombo(label, preview);
  const ImGuiID id = ImGui::GetItemID();
  double x = 0;
  if (take_number(m, &x) && x >= 0 && x < n && int(x) != *current) {
    *current = int(x);
    changed = true;
  }
  mirror::Description d;
  d.role = mirror::Role::Select;
  d.name = mirror::visible_label(label);  // ImGui reports no label for a combo box
  d.options = options;
  d.number = *current;
  d.value = *current >= 0 && *current < n ? options[size_t(*current)] : "";
  if (m) m->describe(id, std::move(d));
  if (open) {
    for (int i = 0; i < n; ++i)
      if (ImGui::Selectable(options[size_t(i)].c_str(), i == *current) && i != *current) {
        *current = i;
        changed = true;
      }
    ImGui::EndCombo();
  }
  return changed;
}

void describe_last(mirror::Description d) { describe(current_mirror(), "", std::move(d)); }

}  // namespace bplab::app::ui
