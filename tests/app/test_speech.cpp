// Plain text for speech (src/app/speech.hpp): the symbols that synthesisers misread are spelt
// out, and what they read right is left alone.
#include <gtest/gtest.h>

#include "app/speech.hpp"
#include "app/text.hpp"

namespace bplab::app {
namespace {

TEST(Speakable, PartialDerivativesAreNotReadAsDelta) {
  EXPECT_EQ(speakable("δ of neuron j is ∂C/∂a(j) · σ′(z(j))."),
            "δ of neuron j is partial C over partial a(j) · σ′(z(j)).");
  EXPECT_EQ(speakable("∂C/∂w(jh)"), "partial C over partial w(jh)");
  EXPECT_EQ(speakable("∂C/∂a of the label"), "partial C over partial a of the label");
}

TEST(Speakable, ScriptsAreSaid) {
  EXPECT_EQ(speakable("Output activations a^L, one per digit"), "Output activations a superscript L, one per digit");
  EXPECT_EQ(speakable("δ^L_j ≡ ∂C/∂z^L_j"), "δ superscript L sub j ≡ partial C over partial z superscript L sub j");
  EXPECT_EQ(speakable("w^l_{jk}"), "w superscript l sub jk");
  EXPECT_EQ(speakable("a_y"), "a sub y");
}

TEST(Speakable, DecorativeArrowsAreDropped) {
  EXPECT_EQ(speakable("next ▶"), "next");
  EXPECT_EQ(speakable("◀ previous"), "previous");
}

TEST(Speakable, OrdinaryTextIsUnchanged) {
  for (const char* s : {"η (eta)", "λ (lambda)", "The net says 7, 98%.", "Epoch 3 of 30: test accuracy 91.2%.",
                        "[784, 30, 10]", "z(j) → a(k) → C", "a ^ b", "", "x^", "_"})
    EXPECT_EQ(speakable(s), s) << s;
}

}  // namespace
}  // namespace bplab::app

namespace bplab::app {
namespace {

// "finished 1 epochs" was on the status line after a one-epoch run.
TEST(Text, CountsInTheSingularAndThePlural) {
  EXPECT_EQ(counted(1, "epoch"), "1 epoch");
  EXPECT_EQ(counted(0, "epoch"), "0 epochs");
  EXPECT_EQ(counted(30, "epoch"), "30 epochs");
  EXPECT_EQ(grouped(10000), "10,000");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(-1234567), "-1,234,567");
  EXPECT_EQ(grouped(0), "0");
}

}  // namespace
}  // namespace bplab::app
