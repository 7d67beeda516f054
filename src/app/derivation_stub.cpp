// Stands in for derivation.cpp until it is committed (src/app/CMakeLists.txt picks one). Delete
// when derivation.cpp is in.
#include <imgui.h>

#include "app/derivation.hpp"

namespace bplab::app {

struct DerivationView {};
DerivationView* create_derivation() { return new DerivationView; }
void destroy_derivation(DerivationView* view) { delete view; }
void draw_derivation(DerivationView&, const Network<double>&, const Vector<double>&, int) {
  ImGui::TextDisabled("The derivation screen is not built in this version.");
}
json::Value derivation_state(const DerivationView&) { return json::Value(); }
std::string set_derivation(DerivationView&, const json::Value&) { return "the derivation screen is not built"; }
std::string derivation_transcript(const DerivationView&) { return ""; }

}  // namespace bplab::app
