// 2-D max and average pooling over NHWC tensors, forward and backward,
// vectorised over channels and split over images.
//
// Max pooling's gradient goes to the first strict maximum of each window
// in row-major order (as TensorFlow and the tfjs cpu backend do: ties,
// such as all-zero windows after a ReLU, must not split it). Average
// pooling divides by the number of window cells inside the input
// (padding excluded), as tf.avgPool does; its gradient divides by the
// whole window (fh * fw), as tfjs's own AvgPoolGrad kernels do on every
// backend. The two differ only at borders padded by 'same', which the
// paper's models never use; matching tfjs keeps every engine's training
// identical.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

enum Mode { kMaxForward, kAvgForward, kMaxBackward, kAvgBackward };

struct Geo {
  int64_t n, h, w, c, oh, ow, fh, fw, sh, sw, top, left;
  int64_t r0(int64_t y) const { return std::max<int64_t>(y * sh - top, 0); }
  int64_t r1(int64_t y) const { return std::min<int64_t>(y * sh - top + fh, h); }
  int64_t c0(int64_t x) const { return std::max<int64_t>(x * sw - left, 0); }
  int64_t c1(int64_t x) const { return std::min<int64_t>(x * sw - left + fw, w); }
};

int image_threads(const Geo& g) { return g.n * g.h * g.w * g.c >= kParallelMin ? threads() : 1; }

void max_forward(const Geo& g, const float* x, float* y) {
#pragma omp parallel for num_threads(image_threads(g)) schedule(static)
  for (int64_t b = 0; b < g.n; ++b) {
    std::vector<float> best(g.c);
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        for (int64_t r = g.r0(oy); r < g.r1(oy); ++r) {
          for (int64_t q = g.c0(ox); q < g.c1(ox); ++q) {
            const float* xp = x + ((b * g.h + r) * g.w + q) * g.c;
            for (int64_t j = 0; j < g.c; ++j) {
              // NaN wins, as in tf.maxPool.
              if (xp[j] > best[j] || xp[j] != xp[j]) best[j] = xp[j];
            }
          }
        }
        std::memcpy(y + ((b * g.oh + oy) * g.ow + ox) * g.c, best.data(), g.c * sizeof(float));
      }
    }
  }
}

void max_backward(const Geo& g, const float* dy, const float* x, float* dx) {
#pragma omp parallel for num_threads(image_threads(g)) schedule(static)
  for (int64_t b = 0; b < g.n; ++b) {
    std::memset(dx + b * g.h * g.w * g.c, 0, g.h * g.w * g.c * sizeof(float));
    std::vector<float> best(g.c);
    std::vector<int64_t> at(g.c);
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(at.begin(), at.end(), -1);
        for (int64_t r = g.r0(oy); r < g.r1(oy); ++r) {
          for (int64_t q = g.c0(ox); q < g.c1(ox); ++q) {
            const int64_t base = ((b * g.h + r) * g.w + q) * g.c;
            for (int64_t j = 0; j < g.c; ++j) {
              if (x[base + j] > best[j] || at[j] < 0) {
                best[j] = x[base + j];
                at[j] = base + j;
              }
            }
          }
        }
        const float* d = dy + ((b * g.oh + oy) * g.ow + ox) * g.c;
        for (int64_t j = 0; j < g.c; ++j) {
          if (at[j] >= 0) dx[at[j]] += d[j];
        }
      }
    }
  }
}

void avg_forward(const Geo& g, const float* x, float* y) {
#pragma omp parallel for num_threads(image_threads(g)) schedule(static)
  for (int64_t b = 0; b < g.n; ++b) {
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        float* yp = y + ((b * g.oh + oy) * g.ow + ox) * g.c;
        std::fill(yp, yp + g.c, 0.f);
        const int64_t cells = (g.r1(oy) - g.r0(oy)) * (g.c1(ox) - g.c0(ox));
        for (int64_t r = g.r0(oy); r < g.r1(oy); ++r) {
          for (int64_t q = g.c0(ox); q < g.c1(ox); ++q) {
            const float* xp = x + ((b * g.h + r) * g.w + q) * g.c;
#pragma omp simd
            for (int64_t j = 0; j < g.c; ++j) yp[j] += xp[j];
          }
        }
        const float inv = cells > 0 ? 1.f / static_cast<float>(cells) : 0.f;
#pragma omp simd
        for (int64_t j = 0; j < g.c; ++j) yp[j] *= inv;
      }
    }
  }
}

void avg_backward(const Geo& g, const float* dy, float* dx) {
#pragma omp parallel for num_threads(image_threads(g)) schedule(static)
  for (int64_t b = 0; b < g.n; ++b) {
    std::memset(dx + b * g.h * g.w * g.c, 0, g.h * g.w * g.c * sizeof(float));
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        const float* d = dy + ((b * g.oh + oy) * g.ow + ox) * g.c;
        const float inv = 1.f / static_cast<float>(g.fh * g.fw);
        for (int64_t r = g.r0(oy); r < g.r1(oy); ++r) {
          for (int64_t q = g.c0(ox); q < g.c1(ox); ++q) {
            float* dp = dx + ((b * g.h + r) * g.w + q) * g.c;
#pragma omp simd
            for (int64_t j = 0; j < g.c; ++j) dp[j] += d[j] * inv;
          }
        }
      }
    }
  }
}

}  // namespace

// args: mode, n, h, w, c, outH, outW, fh, fw, sh, sw, top, left,
//       then forward: x, y; max backward: dy, x, dx; avg backward: dy, dx
void pool(const Call& call) {
  const int mode = call.i32(0);
  Geo g{call.i64(1), call.i64(2), call.i64(3), call.i64(4), call.i64(5), call.i64(6),
        call.i64(7), call.i64(8), call.i64(9), call.i64(10), call.i64(11), call.i64(12)};
  const int64_t in = g.n * g.h * g.w * g.c, out = g.n * g.oh * g.ow * g.c;
  switch (mode) {
    case kMaxForward: return max_forward(g, call.f32(13, in), call.f32(14, out));
    case kAvgForward: return avg_forward(g, call.f32(13, in), call.f32(14, out));
    case kMaxBackward: return max_backward(g, call.f32(13, out), call.f32(14, in), call.f32(15, in));
    case kAvgBackward: return avg_backward(g, call.f32(13, out), call.f32(14, in));
    default: throw Error("pool: unknown mode " + std::to_string(mode));
  }
}

}  // namespace sgdl
