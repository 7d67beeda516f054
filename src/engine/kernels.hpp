// The few loops that dominate training, on raw float arrays in the engine's layouts:
// weights row-major (row j of w^l is contiguous), examples as contiguous columns.
// Inputs are passed as one pointer per example, so a mini-batch can be read straight from
// the training set without first being copied together.
//
// One implementation over a small vector type: AVX-512 or AVX2+FMA natively (whichever the
// compiler targets), explicit WebAssembly SIMD (wasm_simd128.h) under -msimd128, and plain
// loops elsewhere. tests/engine/test_kernels.cpp checks every kernel against Eigen.
#pragma once

namespace bplab::kernels {

// Z = W·X + b·1ᵀ.  W is (rows × cols) row-major; x[k] points at example k's `cols` numbers;
// b has `rows` entries; Z is (rows × m) column-major.
void weighted_input(const float* W, const float* b, int rows, int cols, const float* const* x, int m, float* Z);

// Out = Wᵀ·D, the first factor of BP2.  W is (rows × cols) row-major, D is (rows × m)
// column-major, Out is (cols × m) column-major.
void transpose_times(const float* W, int rows, int cols, const float* D, int m, float* Out);

// The fused gradient step, BP3 and BP4 summed over the mini-batch and applied at once:
//   W ← decay·W + alpha·Σ_k D(:,k) x[k]ᵀ      (Σ_x δ^{x,l} (a^{x,l-1})ᵀ, never stored)
//   b ← b + alpha·Σ_k D(:,k)
// W is (rows × cols) row-major, D is (rows × m) column-major, x[k] has `cols` numbers.
// SGD uses decay = 1 − ηλ/n and alpha = −η/m.
void fused_update(float* W, float* b, int rows, int cols, const float* D, const float* const* x, int m,
                  float decay, float alpha);

// The same step with momentum μ (velocities V, Vb of the shapes of W, b):
//   V ← μ·V + alpha·Σ_k D(:,k) x[k]ᵀ + (decay − 1)·W,  W ← W + V,
//   Vb ← μ·Vb + alpha·Σ_k D(:,k),  b ← b + Vb
void momentum_update(float* W, float* b, float* V, float* Vb, int rows, int cols, const float* D,
                     const float* const* x, int m, float decay, float alpha, float mu);

// Which vector instructions this build uses: "avx512", "avx2", "wasm-simd128" or "scalar".
const char* implementation();

}  // namespace bplab::kernels
