// The Draw screen's My digits section (panel_draw_digits.cpp): label, keep, teach, the gallery.
#pragma once

namespace bplab::app {

struct App;

// The height the section would like below the canvas (the canvas shrinks to leave it).
float my_digits_height();
void my_digits(App& app, float width);
void my_digits_words(App& app);  // the section in words, for the mirror

}  // namespace bplab::app
