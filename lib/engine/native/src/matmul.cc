// Batched matrix products on oneDNN's sgemm (row-major), with either
// operand transposed and a batch of 1 broadcast against the other's.
#include "kernels.h"
#include "runtime.h"

namespace sgdl {

/** Products of fewer multiply-adds than this run on one thread. */
constexpr int64_t kSmallMatmul = int64_t(1) << 22;

// args: batchA, batchB, m, n, k, transposeA, transposeB, a, b, c
// a is [batchA, m, k] ([batchA, k, m] transposed), b is [batchB, k, n]
// ([batchB, n, k] transposed), c is [max(batchA, batchB), m, n].
void matmul(const Call& call) {
  const int64_t ba = call.i64(0), bb = call.i64(1);
  const int64_t m = call.i64(2), n = call.i64(3), k = call.i64(4);
  const bool ta = call.flag(5), tb = call.flag(6);
  if (ba != bb && ba != 1 && bb != 1) throw Error("matmul: batch sizes must match or be 1");
  const int64_t batch = std::max(ba, bb);
  const float* a = call.f32(7, ba * m * k);
  const float* b = call.f32(8, bb * k * n);
  float* c = call.f32(9, batch * m * n);
  // Small products (an LSTM step's h W_hh) run on one thread: waking the
  // pool for a few million multiply-adds costs more than it saves.
  SingleThreaded small(m * n * k < kSmallMatmul);
  for (int64_t i = 0; i < batch; ++i) {
    const float* ai = a + (ba == 1 ? 0 : i * m * k);
    const float* bi = b + (bb == 1 ? 0 : i * k * n);
    dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, ai, ta ? m : k,
                                  bi, tb ? k : n, 0.f, c + i * m * n, n);
    if (st != dnnl_success) throw Error("matmul: dnnl_sgemm failed (" + std::to_string(st) + ")");
  }
}

}  // namespace sgdl
