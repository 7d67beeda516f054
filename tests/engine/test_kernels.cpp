// The hand-written training loops against plain Eigen expressions.
#include <gtest/gtest.h>

#include "engine/kernels.hpp"
#include "engine/rng.hpp"
#include "engine/types.hpp"

namespace bplab {
namespace {

Matrix<float> random_matrix(int rows, int cols, Rng& rng) {
  Matrix<float> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal());
  return m;
}

Batch<float> random_batch(int rows, int cols, Rng& rng) {
  Batch<float> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.uniform());
  return m;
}

// Shapes around the vector widths and the 64-example chunk: tails of every length.
const std::vector<std::tuple<int, int, int>> kShapes = {
    {1, 1, 1}, {3, 5, 2}, {30, 784, 10}, {10, 30, 10}, {7, 17, 3}, {16, 64, 4}, {5, 33, 65}, {2, 100, 130}, {9, 15, 1}, {70, 20, 3}};

std::vector<const float*> columns(const Batch<float>& X) {
  std::vector<const float*> p;
  for (Eigen::Index k = 0; k < X.cols(); ++k) p.push_back(X.data() + k * X.rows());
  return p;
}

float tolerance(int depth) { return 1e-5f * float(depth); }

TEST(Kernels, WeightedInputEqualsEigen) {
  Rng rng(1);
  for (auto [rows, cols, m] : kShapes) {
    const Matrix<float> W = random_matrix(rows, cols, rng);
    const Vector<float> b = random_matrix(rows, 1, rng);
    const Batch<float> X = random_batch(cols, m, rng);
    Batch<float> Z(rows, m);
    kernels::weighted_input(W.data(), b.data(), rows, cols, columns(X).data(), m, Z.data());
    const Batch<float> expected = (W * X).colwise() + b;
    EXPECT_LT((Z - expected).cwiseAbs().maxCoeff(), tolerance(cols)) << rows << "x" << cols << " m=" << m;
  }
}

TEST(Kernels, TransposeTimesEqualsEigen) {
  Rng rng(2);
  for (auto [rows, cols, m] : kShapes) {
    const Matrix<float> W = random_matrix(rows, cols, rng);
    const Batch<float> D = random_batch(rows, m, rng);
    Batch<float> out(cols, m);
    kernels::transpose_times(W.data(), rows, cols, D.data(), m, out.data());
    const Batch<float> expected = W.transpose() * D;
    EXPECT_LT((out - expected).cwiseAbs().maxCoeff(), tolerance(rows)) << rows << "x" << cols << " m=" << m;
  }
}

TEST(Kernels, FusedUpdateEqualsEigen) {
  Rng rng(3);
  for (auto [rows, cols, m] : kShapes) {
    Matrix<float> W = random_matrix(rows, cols, rng);
    Vector<float> b = random_matrix(rows, 1, rng);
    const Batch<float> D = random_batch(rows, m, rng), X = random_batch(cols, m, rng);
    const float decay = 0.999f, alpha = -0.3f / float(m);
    const Matrix<float> W_expected = decay * W + alpha * D * X.transpose();
    const Vector<float> b_expected = b + alpha * D.rowwise().sum();
    kernels::fused_update(W.data(), b.data(), rows, cols, D.data(), columns(X).data(), m, decay, alpha);
    EXPECT_LT((W - W_expected).cwiseAbs().maxCoeff(), tolerance(m)) << rows << "x" << cols << " m=" << m;
    EXPECT_LT((b - b_expected).cwiseAbs().maxCoeff(), tolerance(m));
  }
}

TEST(Kernels, MomentumUpdateEqualsEigen) {
  Rng rng(4);
  for (auto [rows, cols, m] : kShapes) {
    Matrix<float> W = random_matrix(rows, cols, rng), V = random_matrix(rows, cols, rng);
    Vector<float> b = random_matrix(rows, 1, rng), Vb = random_matrix(rows, 1, rng);
    const Batch<float> D = random_batch(rows, m, rng), X = random_batch(cols, m, rng);
    const float decay = 0.99f, alpha = -0.5f / float(m), mu = 0.9f;
    const Matrix<float> V_expected = mu * V + alpha * D * X.transpose() + (decay - 1.f) * W;
    const Matrix<float> W_expected = W + V_expected;
    const Vector<float> Vb_expected = mu * Vb + alpha * D.rowwise().sum();
    const Vector<float> b_expected = b + Vb_expected;
    kernels::momentum_update(W.data(), b.data(), V.data(), Vb.data(), rows, cols, D.data(), columns(X).data(), m, decay,
                             alpha, mu);
    EXPECT_LT((V - V_expected).cwiseAbs().maxCoeff(), tolerance(m));
    EXPECT_LT((W - W_expected).cwiseAbs().maxCoeff(), tolerance(m));
    EXPECT_LT((b - b_expected).cwiseAbs().maxCoeff(), tolerance(m));
  }
}

// These tests are built twice: in engine_tests over the processor's vector path, and in
// kernels_scalar_tests over the plain C++ path (BPLAB_KERNELS_SCALAR), natively and under the
// sanitizers.
#ifdef BPLAB_KERNELS_SCALAR
TEST(Kernels, ThisBuildChecksThePlainPath) { EXPECT_STREQ(kernels::implementation(), "scalar"); }
#endif

}  // namespace
}  // namespace bplab
