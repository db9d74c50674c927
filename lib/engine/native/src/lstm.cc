// The LSTM cell's element-wise part, fused: from the gate pre-activations
// (x W_ih + b_ih + h W_hh + b_hh, [B, 4H] in PyTorch's order i, f, g, o)
// and the previous cell state c [B, H]:
//
//   c' = sigmoid(f) c + sigmoid(i) tanh(g),   h' = sigmoid(o) tanh(c')
//
// and its gradient from (dh', dc'):
//
//   dc_total = dc' + dh' sigmoid(o) (1 - tanh(c')^2)
//   dc       = dc_total sigmoid(f)
//   d(i)     = dc_total tanh(g) s_i (1 - s_i),   d(f) = dc_total c s_f (1 - s_f)
//   d(g)     = dc_total s_i (1 - tanh(g)^2),     d(o) = dh' tanh(c') s_o (1 - s_o)
//
// One pass each way instead of a dozen tfjs ops per time step.
#include <cmath>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

inline float sigmoid(float x) { return 1.f / (1.f + std::exp(-x)); }

}  // namespace

// args: B, H, gates, c, h_out, c_out
void lstm_cell(const Call& call) {
  const int64_t b = call.i64(0), h = call.i64(1);
  const float* gates = call.f32(2, b * 4 * h);
  const float* c = call.f32(3, b * h);
  float* h_out = call.f32(4, b * h);
  float* c_out = call.f32(5, b * h);
  const int nt = b * h * 4 >= kParallelMin ? threads() : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < b; ++r) {
    const float* gr = gates + r * 4 * h;
    for (int64_t j = 0; j < h; ++j) {
      const float si = sigmoid(gr[j]);
      const float sf = sigmoid(gr[h + j]);
      const float tg = std::tanh(gr[2 * h + j]);
      const float so = sigmoid(gr[3 * h + j]);
      const float cn = sf * c[r * h + j] + si * tg;
      c_out[r * h + j] = cn;
      h_out[r * h + j] = so * std::tanh(cn);
    }
  }
}

// args: B, H, dh, dc'|-1, gates, c, c', dgates, dc
void lstm_cell_grad(const Call& call) {
  const int64_t b = call.i64(0), h = call.i64(1);
  const float* dh = call.f32(2, b * h);
  const float* dc_next = call.f32(3, b * h);
  const float* gates = call.f32(4, b * 4 * h);
  const float* c = call.f32(5, b * h);
  const float* c_new = call.f32(6, b * h);
  float* dgates = call.f32(7, b * 4 * h);
  float* dc = call.f32(8, b * h);
  const int nt = b * h * 4 >= kParallelMin ? threads() : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < b; ++r) {
    const float* gr = gates + r * 4 * h;
    float* dg = dgates + r * 4 * h;
    for (int64_t j = 0; j < h; ++j) {
      const int64_t k = r * h + j;
      const float si = sigmoid(gr[j]);
      const float sf = sigmoid(gr[h + j]);
      const float tg = std::tanh(gr[2 * h + j]);
      const float so = sigmoid(gr[3 * h + j]);
      const float tc = std::tanh(c_new[k]);
      const float total = (dc_next == nullptr ? 0.f : dc_next[k]) + dh[k] * so * (1.f - tc * tc);
      dc[k] = total * sf;
      dg[j] = total * tg * si * (1.f - si);
      dg[h + j] = total * c[k] * sf * (1.f - sf);
      dg[2 * h + j] = total * si * (1.f - tg * tg);
      dg[3 * h + j] = dh[k] * tc * so * (1.f - so);
    }
  }
}

}  // namespace sgdl
