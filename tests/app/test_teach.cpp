// "Teach it": the defaults must learn a consistent handwriting style that is not MNIST's from 10
// kept digits a class. Starting from the shipped pretrained [784,30,10], for three styles
// (styles.hpp): held-out digits of the style at least 10 points better, the MNIST test set within
// 3 points, at least 90% of the kept digits right. The run is the app's own (Lab::teach, in the
// frame loop's slices).
//
// `teach_tests --sweep` prints the figures of other recipes instead (how the defaults were chosen).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/lab.hpp"
#include "styles.hpp"

namespace bplab::app {
namespace {

using test::Style;

struct Pools {
  Mnist mnist;
  std::string pretrained;
};

const Pools& pools() {
  static Pools* p = [] {
    auto* p = new Pools;
    const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
    std::string e;
    p->mnist = load_mnist(dir, &e, 50000, 10000, 10000);
    EXPECT_TRUE(e.empty()) << e;
    std::ifstream f(std::string(BPLAB_TEST_ASSETS_DIR) + "/model-784-30-10.json");
    std::stringstream s;
    s << f.rdbuf();
    p->pretrained = s.str();
    return p;
  }();
  return *p;
}

double accuracy(const Lab& lab, const std::vector<Example>& digits) {
  int right = 0;
  for (const Example& e : digits) {
    const Vector<float> a = feedforward(lab.model(), Vector<float>(Eigen::Map<const Vector<float>>(e.pixels.data(), kExamplePixels)));
    right += argmax(a) == e.label;
  }
  return double(right) / double(digits.size());
}

struct Figures {
  double held_before, held_after, kept_before, kept_after, test_before, test_after;
};

// A Lab with the pretrained model, MNIST's first 10,000 training images (what the page has
// first), the kept digits, taught with `o` in slices.
Figures teach_style(Style style, const Lab::TeachOptions& o) {
  const Pools& p = pools();
  // Kept and held-out digits come from different MNIST writers (the validation images, which
  // teaching never mixes in) or different jitter.
  const std::vector<Example> kept = test::style_digits(style, 10, p.mnist.validation, 0, 1);
  const std::vector<Example> held = test::style_digits(style, 50, p.mnist.validation, 5000, 2);
  Lab lab;
  Mnist m = p.mnist;
  EXPECT_EQ(lab.load_model(p.pretrained), "");
  {
    // The page's data: the first 10,000 training images and the test set.
    std::vector<uint8_t> images, labels;
    Dataset small;
    small.rows = small.cols = 28;
    small.pixels = m.training.pixels.leftCols(10000);
    small.labels.assign(m.training.labels.begin(), m.training.labels.begin() + 10000);
    write_idx(small, &images, &labels);
    EXPECT_EQ(lab.load_data(DataPart::SmallTraining, images.data(), images.size(), labels.data(), labels.size()), "");
    write_idx(m.test, &images, &labels);
    EXPECT_EQ(lab.load_data(DataPart::Test, images.data(), images.size(), labels.data(), labels.size()), "");
  }
  for (const Example& e : kept) EXPECT_EQ(lab.add_example(e.label, e.pixels), "");
  Figures f;
  f.held_before = accuracy(lab, held);
  f.kept_before = accuracy(lab, kept);
  f.test_before = evaluate(lab.model(), view_of(m.test)).accuracy();
  EXPECT_EQ(lab.teach(o), "");
  EXPECT_TRUE(lab.teaching().active);
  for (int i = 0; i < 100000 && lab.running(); ++i) lab.tick(50);
  EXPECT_FALSE(lab.running());
  EXPECT_TRUE(lab.teaching().done);
  f.held_after = accuracy(lab, held);
  f.kept_after = accuracy(lab, kept);
  f.test_after = evaluate(lab.model(), view_of(m.test)).accuracy();
  // The Lab's own before -> after agree with these.
  EXPECT_NEAR(lab.teaching().mine_before, f.kept_before, 1e-9);
  EXPECT_NEAR(lab.teaching().mine_after, f.kept_after, 1e-9);
  EXPECT_NEAR(lab.teaching().test_before, f.test_before, 1e-9);
  EXPECT_NEAR(lab.teaching().test_after, f.test_after, 1e-9);
  std::printf("%-15s eta %.2g epochs %d mnist %5d repeats %3d: held-out %.1f%% -> %.1f%%, kept %.1f%% -> %.1f%%, "
              "MNIST test %.2f%% -> %.2f%% (%.1f s)\n",
              test::style_name(style), o.eta, o.epochs, o.mnist, o.repeats, f.held_before * 100, f.held_after * 100,
              f.kept_before * 100, f.kept_after * 100, f.test_before * 100, f.test_after * 100, lab.teaching().seconds);
  return f;
}

class TeachDefaults : public ::testing::TestWithParam<Style> {};

TEST_P(TeachDefaults, LearnAStyleWithoutForgettingMnist) {
  const Figures f = teach_style(GetParam(), Lab::TeachOptions());
  EXPECT_GE(f.held_after - f.held_before, 0.10) << "held-out digits of the style";
  EXPECT_GE(f.test_after, f.test_before - 0.03) << "MNIST test set";
  EXPECT_GE(f.kept_after, 0.90) << "kept digits";
}

INSTANTIATE_TEST_SUITE_P(Styles, TeachDefaults,
                         ::testing::Values(Style::SevenSegment, Style::LeanNarrow, Style::BackslantBold),
                         [](const auto& info) {
                           std::string n = test::style_name(info.param);
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// The recipes the defaults were chosen from: a measurement, not a test (`teach_tests --sweep`).
void sweep() {
  for (Style s : {Style::SevenSegment, Style::LeanNarrow, Style::BackslantBold})
    for (double eta : {0.1, 0.5, 3.0})
      for (int repeats : {5, 20})
        for (int epochs : {1, 3}) {
          Lab::TeachOptions o;
          o.eta = eta;
          o.repeats = repeats;
          o.epochs = epochs;
          teach_style(s, o);
        }
}

}  // namespace
}  // namespace bplab::app

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--sweep") {
    bplab::app::sweep();
    return 0;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
