// Reductions over the middle axis of an [outer, mid, inner] view: sum,
// mean and max over any contiguous run of axes (a global average pool,
// a bias gradient summed over the batch, a row-wise softmax's max).
#include <algorithm>
#include <limits>
#include <vector>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {
enum Op { kSum, kMean, kMax };
}

// args: op, outer, mid, inner, x, y
void reduce(const Call& call) {
  const int op = call.i32(0);
  const int64_t outer = call.i64(1), mid = call.i64(2), inner = call.i64(3);
  const float* x = call.f32(4, outer * mid * inner);
  float* y = call.f32(5, outer * inner);
  const int nt = outer * mid * inner >= kParallelMin ? threads() : 1;
  if (outer >= nt || inner < 64) {
    // One output row per task; rows summed in order.
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t o = 0; o < outer; ++o) {
      float* yr = y + o * inner;
      const float* xo = x + o * mid * inner;
      if (op == kMax) {
        std::fill(yr, yr + inner, -std::numeric_limits<float>::infinity());
        for (int64_t m = 0; m < mid; ++m) {
          const float* xr = xo + m * inner;
          for (int64_t j = 0; j < inner; ++j) {
            if (xr[j] > yr[j] || xr[j] != xr[j]) yr[j] = xr[j];
          }
        }
      } else {
        std::fill(yr, yr + inner, 0.f);
        for (int64_t m = 0; m < mid; ++m) {
          const float* xr = xo + m * inner;
#pragma omp simd
          for (int64_t j = 0; j < inner; ++j) yr[j] += xr[j];
        }
        if (op == kMean) {
          const float inv = 1.f / static_cast<float>(mid);
          for (int64_t j = 0; j < inner; ++j) yr[j] *= inv;
        }
      }
    }
    return;
  }
  // Few output rows, wide: split the inner axis among threads.
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t j0 = 0; j0 < inner; j0 += 64) {
    const int64_t j1 = std::min(inner, j0 + 64);
    for (int64_t o = 0; o < outer; ++o) {
      float* yr = y + o * inner;
      const float* xo = x + o * mid * inner;
      for (int64_t j = j0; j < j1; ++j) {
        yr[j] = op == kMax ? -std::numeric_limits<float>::infinity() : 0.f;
      }
      for (int64_t m = 0; m < mid; ++m) {
        const float* xr = xo + m * inner;
        if (op == kMax) {
          for (int64_t j = j0; j < j1; ++j) {
            if (xr[j] > yr[j] || xr[j] != xr[j]) yr[j] = xr[j];
          }
        } else {
#pragma omp simd
          for (int64_t j = j0; j < j1; ++j) yr[j] += xr[j];
        }
      }
      if (op == kMean) {
        const float inv = 1.f / static_cast<float>(mid);
        for (int64_t j = j0; j < j1; ++j) yr[j] *= inv;
      }
    }
  }
}

}  // namespace sgdl
