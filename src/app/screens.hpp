// The app's screens: ONE table, one row a screen (as an imgui_demo.cpp section is one function
// and one call). The screen switcher, the `panel` URL setting, the page's setPanel command and
// state().panel, web/embed.js's poster (the build reads the rows of screens.cpp) and the
// headless tests all read it, so a new screen is one row here plus its own draw function.
#pragma once

#include <string>
#include <vector>

#include "engine/json.hpp"

namespace bplab::app {

struct App;

struct Screen {
  const char* name;   // in URLs (panel=NAME), setPanel(NAME) and state().panel
  const char* title;  // the switcher's button
  void (*draw)(App&);  // draws the screen inside the app's window
  // Fields the screen adds to state() while it is shown (null: none).
  void (*state)(const App&, json::Object&);
  // The screen in words for the accessibility mirror (screen_words.cpp; null: none, the
  // derivation has its transcript): headings, sentences, tables and a polite announcement.
  void (*words)(App&);
  // The page's poster until the first frame (web/embed.js): a title, a subtitle and the shapes
  // it is drawn with (CSS classes poster-SHAPE, space-separated).
  const char* poster_title;
  const char* poster_subtitle;
  const char* poster_shapes;
};

// The table. Panel(i) is screens()[i]; the first four are Panel's named values. A test may add
// a row before the app is made.
std::vector<Screen>& screens();

// "draw, train, network, derivation": the names in the table's order.
std::string screen_names(const char* separator = ", ");

}  // namespace bplab::app
