// Hot loops for training; see kernels.hpp for shapes and meaning.
//
// Every kernel is built from two primitives over contiguous arrays of length n:
//   dots   s_rq = Σ_i w_r[i]·x_q[i]          a block of up to 2 rows × 4 examples (W·X)
//   combo  y[i] = keep·y[i] + Σ_q c_q·x_q[i]  (the fused update, and Wᵀ·D)
// Blocking reads each weight once for up to four multiply-adds and keeps enough independent
// accumulators in registers to hide the latency of a multiply-add.
#include "kernels.hpp"

#include <cstddef>

// The path: the processor's vectors, or plain C++ (always with BPLAB_KERNELS_SCALAR, which
// kernels_scalar_tests builds with, so that the test command checks that path too).
#if defined(BPLAB_KERNELS_SCALAR)
#elif defined(__AVX512F__)
#define BPLAB_KERNELS_AVX512
#elif defined(__AVX2__) && defined(__FMA__)
#define BPLAB_KERNELS_AVX2
#elif defined(__wasm_simd128__)
#define BPLAB_KERNELS_WASM
#endif
#if defined(BPLAB_KERNELS_AVX512) || defined(BPLAB_KERNELS_AVX2)
#include <immintrin.h>
#elif defined(BPLAB_KERNELS_WASM)
#include <wasm_simd128.h>
#endif

namespace bplab::kernels {

namespace {

// [SECTION] The vector type: kWidth floats, with load, store, multiply-add and a sum.
#if defined(BPLAB_KERNELS_AVX512)
constexpr int kWidth = 16;
using vec = __m512;
inline vec zero() { return _mm512_setzero_ps(); }
inline vec splat(float a) { return _mm512_set1_ps(a); }
inline vec load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, vec v) { _mm512_storeu_ps(p, v); }
inline vec mul(vec a, vec b) { return _mm512_mul_ps(a, b); }
inline vec mul_add(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c
inline float sum(vec v) { return _mm512_reduce_add_ps(v); }
constexpr const char* kImplementation = "avx512";
#elif defined(BPLAB_KERNELS_AVX2)
constexpr int kWidth = 8;
using vec = __m256;
inline vec zero() { return _mm256_setzero_ps(); }
inline vec splat(float a) { return _mm256_set1_ps(a); }
inline vec load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, vec v) { _mm256_storeu_ps(p, v); }
inline vec mul(vec a, vec b) { return _mm256_mul_ps(a, b); }
inline vec mul_add(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
inline float sum(vec v) {
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}
constexpr const char* kImplementation = "avx2";
#elif defined(BPLAB_KERNELS_WASM)
constexpr int kWidth = 4;
using vec = v128_t;
inline vec zero() { return wasm_f32x4_splat(0.f); }
inline vec splat(float a) { return wasm_f32x4_splat(a); }
inline vec load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, vec v) { wasm_v128_store(p, v); }
inline vec mul(vec a, vec b) { return wasm_f32x4_mul(a, b); }
// No fused multiply-add in WebAssembly SIMD (relaxed SIMD is not available here).
inline vec mul_add(vec a, vec b, vec c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
inline float sum(vec v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}
constexpr const char* kImplementation = "wasm-simd128";
#else
constexpr int kWidth = 1;
using vec = float;
inline vec zero() { return 0.f; }
inline vec splat(float a) { return a; }
inline vec load(const float* p) { return *p; }
inline void store(float* p, vec v) { *p = v; }
inline vec mul(vec a, vec b) { return a * b; }
inline vec mul_add(vec a, vec b, vec c) { return a * b + c; }
inline float sum(vec v) { return v; }
constexpr const char* kImplementation = "scalar";
#endif

// [SECTION] Primitives

// s[r*C + q] = Σ_i w[r][i]·x[q][i], for R rows of W (stride `cols`) and C examples.
template <int R, int C>
inline void dots(const float* w, int cols, const float* const* x, float* s) {
  vec acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) acc[r][q] = zero();
  int i = 0;
  for (; i + kWidth <= cols; i += kWidth) {
    vec xv[C];
    for (int q = 0; q < C; ++q) xv[q] = load(x[q] + i);
    for (int r = 0; r < R; ++r) {
      const vec wv = load(w + std::ptrdiff_t(r) * cols + i);
      for (int q = 0; q < C; ++q) acc[r][q] = mul_add(wv, xv[q], acc[r][q]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) {
      float t = sum(acc[r][q]);
      for (int e = i; e < cols; ++e) t += w[std::ptrdiff_t(r) * cols + e] * x[q][e];
      s[r * C + q] = t;
    }
}

// Z(rows r0.., columns k0..) for R rows and C examples.
template <int R, int C>
inline void weighted_input_block(const float* W, const float* b, int rows, int cols, const float* const* x, int r0,
                                 int k0, float* Z) {
  float s[R * C];
  dots<R, C>(W + std::ptrdiff_t(r0) * cols, cols, x + k0, s);
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) Z[std::ptrdiff_t(k0 + q) * rows + r0 + r] = s[r * C + q] + b[r0 + r];  // z = w·a + b
}

template <int R>
inline void weighted_input_rows(const float* W, const float* b, int rows, int cols, const float* const* x, int m,
                                int r0, float* Z) {
  int k = 0;
  for (; k + 4 <= m; k += 4) weighted_input_block<R, 4>(W, b, rows, cols, x, r0, k, Z);
  switch (m - k) {
    case 3: weighted_input_block<R, 3>(W, b, rows, cols, x, r0, k, Z); break;
    case 2: weighted_input_block<R, 2>(W, b, rows, cols, x, r0, k, Z); break;
    case 1: weighted_input_block<R, 1>(W, b, rows, cols, x, r0, k, Z); break;
    default: break;
  }
}

// For R rows at once: y_r[i] = keep·y_r[i] + Σ_q c[r·kChunk + q]·x[q][i], q < m, i < n.
// With R = 2 each loaded x serves two multiply-adds; 8 accumulators hide the latency.
constexpr int kChunk = 64;  // coefficients per row gathered on the stack at a time

template <int R>
inline void combo(float* const* y, float keep, const float* c, const float* const* x, int m, int n) {
  constexpr int U = 8 / R;  // vectors per row per step
  constexpr int kBlock = U * kWidth;
  const vec keep_v = splat(keep);
  int i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    vec acc[R][U];
    for (int r = 0; r < R; ++r)
      for (int u = 0; u < U; ++u) acc[r][u] = mul(keep_v, load(y[r] + i + u * kWidth));
    for (int q = 0; q < m; ++q) {
      vec xv[U];
      for (int u = 0; u < U; ++u) xv[u] = load(x[q] + i + u * kWidth);
      for (int r = 0; r < R; ++r) {
        const vec cq = splat(c[r * kChunk + q]);
        for (int u = 0; u < U; ++u) acc[r][u] = mul_add(cq, xv[u], acc[r][u]);
      }
    }
    for (int r = 0; r < R; ++r)
      for (int u = 0; u < U; ++u) store(y[r] + i + u * kWidth, acc[r][u]);
  }
  for (; i + kWidth <= n; i += kWidth)
    for (int r = 0; r < R; ++r) {
      vec acc = mul(keep_v, load(y[r] + i));
      for (int q = 0; q < m; ++q) acc = mul_add(splat(c[r * kChunk + q]), load(x[q] + i), acc);
      store(y[r] + i, acc);
    }
  for (; i < n; ++i)
    for (int r = 0; r < R; ++r) {
      float t = keep * y[r][i];
      for (int q = 0; q < m; ++q) t += c[r * kChunk + q] * x[q][i];
      y[r][i] = t;
    }
}

// R rows of the fused update: W_j ← decay·W_j + alpha Σ_k D(j,k) x_k, b_j ← b_j + alpha Σ_k D(j,k).
template <int R>
inline void update_rows(float* W, float* b, int rows, int cols, const float* D, const float* const* x, int m,
                        float decay, float alpha, int j) {
  float c[R * kChunk];
  float* w[R];
  float db[R] = {};
  for (int r = 0; r < R; ++r) w[r] = W + std::ptrdiff_t(j + r) * cols;
  for (int k0 = 0; k0 < m; k0 += kChunk) {
    const int count = m - k0 < kChunk ? m - k0 : kChunk;
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < count; ++q) {
        c[r * kChunk + q] = alpha * D[std::ptrdiff_t(k0 + q) * rows + j + r];  // −η/m · δ^x_j
        db[r] += c[r * kChunk + q];
      }
    // BP4 summed over the batch and applied in place: w_j ← decay·w_j − η/m Σ_x δ^x_j a^x
    combo<R>(w, k0 == 0 ? decay : 1.f, c, x + k0, count, cols);
  }
  for (int r = 0; r < R; ++r) b[j + r] += db[r];  // BP3 summed over the batch: b_j ← b_j − η/m Σ_x δ^x_j
}

}  // namespace

const char* implementation() { return kImplementation; }

void weighted_input(const float* W, const float* b, int rows, int cols, const float* const* x, int m, float* Z) {
  int r = 0;
  for (; r + 2 <= rows; r += 2) weighted_input_rows<2>(W, b, rows, cols, x, m, r, Z);
  if (r < rows) weighted_input_rows<1>(W, b, rows, cols, x, m, r, Z);
}

void transpose_times(const float* W, int rows, int cols, const float* D, int m, float* Out) {
  // Column k of Out is Σ_j D(j, k)·(row j of W): a combination of W's rows.
  const float* w_rows[kChunk];
  for (int k = 0; k < m; ++k) {
    float* out = Out + std::ptrdiff_t(k) * cols;
    const float* d = D + std::ptrdiff_t(k) * rows;
    for (int j0 = 0; j0 < rows; j0 += kChunk) {
      const int count = rows - j0 < kChunk ? rows - j0 : kChunk;
      for (int q = 0; q < count; ++q) w_rows[q] = W + std::ptrdiff_t(j0 + q) * cols;
      if (j0 == 0)
        for (int i = 0; i < cols; ++i) out[i] = 0.f;
      combo<1>(&out, 1.f, d + j0, w_rows, count, cols);
    }
  }
}

void fused_update(float* W, float* b, int rows, int cols, const float* D, const float* const* x, int m,
                  float decay, float alpha) {
  int j = 0;
  for (; j + 2 <= rows; j += 2) update_rows<2>(W, b, rows, cols, D, x, m, decay, alpha, j);
  if (j < rows) update_rows<1>(W, b, rows, cols, D, x, m, decay, alpha, j);
}

void momentum_update(float* W, float* b, float* V, float* Vb, int rows, int cols, const float* D,
                     const float* const* x, int m, float decay, float alpha, float mu) {
  float c[kChunk];
  const float weight_decay = decay - 1.f;  // −ηλ/n
  for (int j = 0; j < rows; ++j) {
    float* w = W + std::ptrdiff_t(j) * cols;
    float* v = V + std::ptrdiff_t(j) * cols;
    float db = 0;
    for (int k0 = 0; k0 < m; k0 += kChunk) {
      const int count = m - k0 < kChunk ? m - k0 : kChunk;
      for (int q = 0; q < count; ++q) {
        c[q] = alpha * D[std::ptrdiff_t(k0 + q) * rows + j];
        db += c[q];
      }
      combo<1>(&v, k0 == 0 ? mu : 1.f, c, x + k0, count, cols);  // v ← μv − η/m ∇
    }
    for (int i = 0; i < cols; ++i) {
      v[i] += weight_decay * w[i];
      w[i] += v[i];
    }
    Vb[j] = mu * Vb[j] + db;
    b[j] += Vb[j];
  }
}

}  // namespace bplab::kernels
