// Batch normalisation over the last axis of a [rows, C] view (NHWC
// activations: rows = N*H*W), fused with an optional residual add and
// ReLU, as the paper's models use it:
//
//   y = act(gamma * (x - mean) / sqrt(var + eps) + beta [+ residual])
//
// Training uses the batch statistics (biased variance); the backward pass
// is the closed form
//
//   g      = dy * (y > 0)              (dy without the ReLU)
//   dbeta  = sum(g),  dgamma = sum(g * xhat)
//   dx     = gamma * invstd / M * (M g - dbeta - xhat * dgamma)
//
// with sums over rows and M rows. Channel sums are taken per thread over
// a fixed split of the rows, in double, and added in thread order: the
// result depends only on the thread count.
#include <omp.h>

#include <cmath>
#include <vector>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

// Each block function below handles rows [r0, r1) of a [rows, c] view.
// They are plain loops over restrict pointers so that the compiler
// vectorises them. The ReLU mask is a multiply, dy * (y > 0), as in
// tfjs's relu gradient (so a NaN in dy stays NaN), not a branch, which
// would mispredict on half the elements.

// s0 += sum of x rows.
void block_sum(const float* __restrict x, int64_t r0, int64_t r1, int64_t c,
               float* __restrict s0) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* __restrict xr = x + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) s0[j] += xr[j];
  }
}

// s0 += sum of (x - m)^2.
void block_sq(const float* __restrict x, const float* __restrict m, int64_t r0, int64_t r1,
              int64_t c, float* __restrict s0) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* __restrict xr = x + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) {
      const float d = xr[j] - m[j];
      s0[j] += d * d;
    }
  }
}

// s0 += sum of g, s1 += sum of g * (x - m), with g = dy masked by y > 0
// when y is given.
void block_grad_sums(const float* __restrict dy, const float* __restrict y,
                     const float* __restrict x, const float* __restrict m, int64_t r0,
                     int64_t r1, int64_t c, float* __restrict s0, float* __restrict s1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* __restrict dr = dy + r * c;
    const float* __restrict xr = x + r * c;
    if (y != nullptr) {
      const float* __restrict yr = y + r * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        const float g = dr[j] * static_cast<float>(yr[j] > 0.f);
        s0[j] += g;
        s1[j] += g * (xr[j] - m[j]);
      }
    } else {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        s0[j] += dr[j];
        s1[j] += dr[j] * (xr[j] - m[j]);
      }
    }
  }
}

// Sums over rows per channel: per-thread partials over a fixed split of
// the rows, float within blocks of 64 rows, double across blocks, added
// in thread order. f(r0, r1, b0, b1) adds rows [r0, r1) into b0 (and b1).
template <typename F>
void channel_sums(int64_t rows, int64_t c, std::vector<double>& s0, std::vector<double>& s1,
                  F f) {
  const int nt = rows * c >= kParallelMin ? threads() : 1;
  std::vector<double> part(static_cast<size_t>(nt) * c * 2, 0.0);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    const int64_t lo = rows * t / nt, hi = rows * (t + 1) / nt;
    double* a0 = &part[static_cast<size_t>(t) * c * 2];
    double* a1 = a0 + c;
    std::vector<float> b0(c), b1(c);
    for (int64_t r0 = lo; r0 < hi; r0 += 64) {
      std::fill(b0.begin(), b0.end(), 0.f);
      std::fill(b1.begin(), b1.end(), 0.f);
      f(r0, std::min(hi, r0 + 64), b0.data(), b1.data());
      for (int64_t j = 0; j < c; ++j) {
        a0[j] += b0[j];
        a1[j] += b1[j];
      }
    }
  }
  s0.assign(c, 0.0);
  s1.assign(c, 0.0);
  for (int t = 0; t < nt; ++t) {
    const double* a0 = &part[static_cast<size_t>(t) * c * 2];
    for (int64_t j = 0; j < c; ++j) {
      s0[j] += a0[j];
      s1[j] += a0[c + j];
    }
  }
}

int row_threads(int64_t rows, int64_t c) { return rows * c >= kParallelMin ? threads() : 1; }

// y = act((x - m) * k + b [+ res]) for rows [r0, r1).
void block_normalise(const float* __restrict x, const float* __restrict res,
                     const float* __restrict m, const float* __restrict k,
                     const float* __restrict b, bool relu, int64_t r0, int64_t r1, int64_t c,
                     float* __restrict y) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* __restrict xr = x + r * c;
    float* __restrict yr = y + r * c;
    if (res != nullptr) {
      const float* __restrict rr = res + r * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        const float v = (xr[j] - m[j]) * k[j] + b[j] + rr[j];
        yr[j] = relu ? (v > 0.f ? v : 0.f) : v;
      }
    } else {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        const float v = (xr[j] - m[j]) * k[j] + b[j];
        yr[j] = relu ? (v > 0.f ? v : 0.f) : v;
      }
    }
  }
}

// dx = k * (g - u - (x - m) * v), g = dy masked by y > 0 when y is given;
// also writes g when g_out is given.
void block_dx(const float* __restrict dy, const float* __restrict y,
              const float* __restrict x, const float* __restrict m, const float* __restrict k,
              const float* __restrict u, const float* __restrict v, int64_t r0, int64_t r1,
              int64_t c, float* __restrict dx, float* __restrict g_out) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* __restrict dr = dy + r * c;
    const float* __restrict xr = x + r * c;
    float* __restrict dxr = dx + r * c;
    if (y != nullptr) {
      const float* __restrict yr = y + r * c;
      if (g_out != nullptr) {
        float* __restrict gr = g_out + r * c;
#pragma omp simd
        for (int64_t j = 0; j < c; ++j) {
          const float g = dr[j] * static_cast<float>(yr[j] > 0.f);
          gr[j] = g;
          dxr[j] = k[j] * (g - u[j] - (xr[j] - m[j]) * v[j]);
        }
      } else {
#pragma omp simd
        for (int64_t j = 0; j < c; ++j) {
          const float g = dr[j] * static_cast<float>(yr[j] > 0.f);
          dxr[j] = k[j] * (g - u[j] - (xr[j] - m[j]) * v[j]);
        }
      }
    } else {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) dxr[j] = k[j] * (dr[j] - u[j] - (xr[j] - m[j]) * v[j]);
    }
  }
}

// Runs f(r0, r1) over row blocks split among threads.
template <typename F>
void for_rows(int64_t rows, int64_t c, F f) {
  const int nt = row_threads(rows, c);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    f(rows * t / nt, rows * (t + 1) / nt);
  }
}

}  // namespace

// args: rows, C, eps, relu, x, gamma, beta, residual|-1, y, mean, var
void batch_norm_train(const Call& call) {
  const int64_t rows = call.i64(0), c = call.i64(1);
  const float eps = static_cast<float>(call.num(2));
  const bool relu = call.flag(3);
  const float* x = call.f32(4, rows * c);
  const float* gamma = call.f32(5, c);
  const float* beta = call.f32(6, c);
  const float* res = call.f32(7, rows * c);
  float* y = call.f32(8, rows * c);
  float* mean_out = call.f32(9, c);
  float* var_out = call.f32(10, c);
  std::vector<double> s0, s1;
  channel_sums(rows, c, s0, s1,
               [&](int64_t r0, int64_t r1, float* a, float*) { block_sum(x, r0, r1, c, a); });
  std::vector<float> mean(c);
  for (int64_t j = 0; j < c; ++j) mean[j] = static_cast<float>(s0[j] / rows);
  const float* m = mean.data();
  channel_sums(rows, c, s0, s1,
               [&](int64_t r0, int64_t r1, float* a, float*) { block_sq(x, m, r0, r1, c, a); });
  std::vector<float> scale(c);
  for (int64_t j = 0; j < c; ++j) {
    const float var = static_cast<float>(s0[j] / rows);
    mean_out[j] = m[j];
    var_out[j] = var;
    scale[j] = gamma[j] / std::sqrt(var + eps);
  }
  const float* k = scale.data();
  for_rows(rows, c, [&](int64_t r0, int64_t r1) {
    block_normalise(x, res, m, k, beta, relu, r0, r1, c, y);
  });
}

// args: rows, C, eps, relu, dy, x, y|-1, gamma, mean, var,
//       dx, dgamma, dbeta, g|-1 (dy * (y > 0), the residual's gradient)
void batch_norm_train_grad(const Call& call) {
  const int64_t rows = call.i64(0), c = call.i64(1);
  const float eps = static_cast<float>(call.num(2));
  const bool relu = call.flag(3);
  const float* dy = call.f32(4, rows * c);
  const float* x = call.f32(5, rows * c);
  const float* y = relu ? call.f32(6, rows * c) : nullptr;
  const float* gamma = call.f32(7, c);
  const float* mean = call.f32(8, c);
  const float* var = call.f32(9, c);
  float* dx = call.f32(10, rows * c);
  float* dgamma = call.f32(11, c);
  float* dbeta = call.f32(12, c);
  float* g_out = relu ? call.f32(13, rows * c) : nullptr;
  if (relu && y == nullptr) throw Error("batch_norm_train_grad: relu needs y");
  std::vector<double> s0, s1;
  channel_sums(rows, c, s0, s1, [&](int64_t r0, int64_t r1, float* a0, float* a1) {
    block_grad_sums(dy, y, x, mean, r0, r1, c, a0, a1);
  });
  // dx = k * (g - sum_g / M - (x - mean) * invstd^2 * sum_gx / M), k = gamma*invstd
  std::vector<float> k(c), u(c), v(c);
  for (int64_t j = 0; j < c; ++j) {
    const float invstd = 1.f / std::sqrt(var[j] + eps);
    k[j] = gamma[j] * invstd;
    u[j] = static_cast<float>(s0[j] / rows);
    v[j] = static_cast<float>(s1[j] / rows) * invstd * invstd;
    dbeta[j] = static_cast<float>(s0[j]);
    dgamma[j] = static_cast<float>(s1[j]) * invstd;
  }
  for_rows(rows, c, [&](int64_t r0, int64_t r1) {
    block_dx(dy, y, x, mean, k.data(), u.data(), v.data(), r0, r1, c, dx, g_out);
  });
}

// Inference with given statistics; every per-channel operand is [C] or
// absent (-1: gamma 1, beta 0).
// args: rows, C, eps, x, mean, var, gamma|-1, beta|-1, y
void batch_norm_infer(const Call& call) {
  const int64_t rows = call.i64(0), c = call.i64(1);
  const float eps = static_cast<float>(call.num(2));
  const float* x = call.f32(3, rows * c);
  const float* mean = call.f32(4, c);
  const float* var = call.f32(5, c);
  const float* gamma = call.f32(6, c);
  const float* beta = call.f32(7, c);
  float* y = call.f32(8, rows * c);
  std::vector<float> k(c), b(c);
  for (int64_t j = 0; j < c; ++j) {
    k[j] = (gamma == nullptr ? 1.f : gamma[j]) / std::sqrt(var[j] + eps);
    b[j] = beta == nullptr ? 0.f : beta[j];
  }
  const float *kp = k.data(), *bp = b.data();
#pragma omp parallel for num_threads(row_threads(rows, c)) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) y[r * c + j] = (x[r * c + j] - mean[j]) * kp[j] + bp[j];
  }
}

}  // namespace sgdl
