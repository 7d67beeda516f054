// The thin layer between the panels and Dear ImGui for the accessibility mirror (mirror.hpp).
// Each wrapper has the signature of the ImGui widget it wraps, draws it, tells the mirror its
// role and value, and applies a value the page set (a slider moved with the keyboard in the
// DOM, an option chosen in a <select>): then it returns true, as ImGui does for an edit.
// Buttons, checkboxes and headers need no wrapper: ImGui's item hooks describe them.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <vector>

#include "app/mirror.hpp"

namespace bplab::app::ui {

// The mirror of the current ImGui context, or null (no app, a test without one).
mirror::Mirror* current_mirror();

bool SliderFloat(const char* label, float* v, float min, float max, const char* format = "%.3f",
                 ImGuiSliderFlags flags = 0);
bool SliderInt(const char* label, int* v, int min, int max, const char* format = "%d", ImGuiSliderFlags flags = 0);
bool InputText(const char* label, char* buf, size_t size);
bool InputInt(const char* label, int* v);
// `group`: the name of the radio group it belongs to (the page's radiogroup), or none.
bool RadioButton(const char* label, bool active, const char* group = nullptr);
// A button that stays pressed while `on` (the screen switcher: aria-pressed).
bool ToggleButton(const char* label, bool on);
// A combo box of `options`; *current is the chosen index.
bool Combo(const char* label, int* current, const std::vector<std::string>& options);

// Describes the last item for the mirror: e.g. an InvisibleButton that is a picture (the
// drawing area, a chart) gets role Image and a name that says what it shows.
void describe_last(mirror::Description d);

}  // namespace bplab::app::ui
