// The screens' table (see screens.hpp).
#include "app/screens.hpp"

#include "app/app_internal.hpp"

namespace bplab::app {

std::vector<Screen>& screens() {
  // One row a screen, each on one line between the markers: the web build reads the name and
  // the poster's three strings from them (src/platform/CMakeLists.txt writes them into embed.js).
  static std::vector<Screen> table = {
      // screens begin
      {"draw", "Draw", draw_panel, nullptr, draw_words, "Draw a digit", "the net reads it as 28×28 pixels", "square bars"},
      {"train", "Train", train_panel, nullptr, train_words, "Train a network", "cost and accuracy, epoch by epoch", "curve rows"},
      {"network", "Network", network_panel, nullptr, network_words, "The network", "neurons coloured by activation", "layers layers layers"},
      {"derivation", "Derivation", derivation_panel, nullptr, nullptr, "Backpropagation, step by step", "BP1 from the definition of the error", "formula formula rows"},
      {"slowdown", "Slowdown", slowdown_panel, nullptr, slowdown_words, "The learning slowdown", "one neuron, two costs", "curve curve"},
      {"mistakes", "Mistakes", mistakes_panel, mistakes_state, mistakes_words, "What the net gets wrong", "the test digits it misreads, one click from their derivation", "square rows"},
      // screens end
  };
  return table;
}

std::string screen_names(const char* separator) {
  std::string names;
  for (const Screen& s : screens()) names += (names.empty() ? "" : separator) + std::string(s.name);
  return names;
}

}  // namespace bplab::app
