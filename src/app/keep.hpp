// Keeping the learner's work: My digits and the current model, in files (native: a folder under
// the XDG data directory; both: a file dropped on the window or the page is opened by its kind).
// On the web the page keeps them in IndexedDB (web/my-digits.js) through the same commands.
#pragma once

#include <string>
#include <string_view>

namespace bplab::app {

class Lab;
struct App;

// $XDG_DATA_HOME/backprop-lab, else $HOME/.local/share/backprop-lab; "" if neither is set.
std::string default_data_dir();

// Opens a file's text by its kind: a digits file (added to My digits) or a model (network2
// JSON). "" and a note of what was opened, or why it was refused (nothing changed then).
std::string open_text(Lab& lab, std::string_view text, const std::string& name);
std::string open_path(Lab& lab, const std::string& path);

// Native: reads my-digits.txt and model.json from app.options.data_dir at start, and writes
// them when they change (the model when training is not running), at most once a second.
void restore_kept(App& app);
void save_kept(App& app);

}  // namespace bplab::app
