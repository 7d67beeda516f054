// Plain text as a speech synthesiser should read it. The page's words, control names and the
// derivation's transcript prose are read aloud by screen readers, which spell some symbols
// badly: espeak-ng says "delta" for ∂ as for δ, "circumflex" for ^, "play button" for ▶. The
// MathML of the transcript stays the precise form; these are the words around it.
//
//   speakable("δ of neuron j is ∂C/∂a(j)")  == "δ of neuron j is partial C over partial a(j)"
//   speakable("Output activations a^L")    == "Output activations a superscript L"
//   speakable("w^l_{jk}")                   == "w superscript l sub jk"
//   speakable("next ▶")                     == "next"
#pragma once

#include <string>
#include <string_view>

namespace bplab::app {

std::string speakable(std::string_view text);

}  // namespace bplab::app
