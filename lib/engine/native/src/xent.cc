// Softmax cross-entropy against integer labels, for language models
// (10,000 classes): per row, loss = -log softmax(x)[label], computed from
// oneDNN's vectorised log-softmax; the gradient is
// dloss * (softmax(x) - onehot(label)), from the saved log-probabilities.
// No one-hot matrix is ever built (tfjs's softmaxCrossEntropy builds and
// multiplies one of the logits' size).
#include <cstring>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

struct LogSoftmax {
  dnnl::softmax_v2_forward prim;
  dnnl::memory::desc md;
};

struct Exp {
  dnnl::eltwise_forward prim;
  dnnl::memory::desc md;
};

dnnl::memory::desc rows_md(int64_t n, int64_t c) {
  return dnnl::memory::desc({n, c}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::ab);
}

const int32_t* labels_of(const Call& call, size_t i, int64_t n, int64_t classes) {
  const int32_t* y = reinterpret_cast<const int32_t*>(call.f32(i, n));
  for (int64_t r = 0; r < n; ++r) {
    if (y[r] < 0 || y[r] >= classes) {
      throw Error("sparse cross-entropy: label " + std::to_string(y[r]) + " of row " +
                  std::to_string(r) + " is not in 0.." + std::to_string(classes - 1));
    }
  }
  return y;
}

}  // namespace

// args: N, C, logits, labels (int32), loss [N], logp [N, C]
void sparse_xent(const Call& call) {
  const int64_t n = call.i64(0), c = call.i64(1);
  float* x = call.f32(2, n * c);
  const int32_t* y = labels_of(call, 3, n, c);
  float* loss = call.f32(4, n);
  float* logp = call.f32(5, n * c);
  const double key[2] = {static_cast<double>(n), static_cast<double>(c)};
  LogSoftmax& ls = registered_cache<LogSoftmax>().get(key_of(key, 2, "logsoftmax"), [n, c] {
    auto md = rows_md(n, c);
    dnnl::softmax_v2_forward::desc d(dnnl::prop_kind::forward_training,
                                     dnnl::algorithm::softmax_log, md, md, 1);
    dnnl::softmax_v2_forward::primitive_desc pd(d, cpu_engine());
    return LogSoftmax{dnnl::softmax_v2_forward(pd), md};
  });
  auto& eng = cpu_engine();
  dnnl::memory src(ls.md, eng, x), dst(ls.md, eng, logp);
  ls.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  cpu_stream().wait();
  for (int64_t r = 0; r < n; ++r) loss[r] = -logp[r * c + y[r]];
}

// args: N, C, dloss [N], logp [N, C], labels (int32), dlogits [N, C]
void sparse_xent_grad(const Call& call) {
  const int64_t n = call.i64(0), c = call.i64(1);
  const float* dloss = call.f32(2, n);
  float* logp = call.f32(3, n * c);
  const int32_t* y = labels_of(call, 4, n, c);
  float* dx = call.f32(5, n * c);
  const double key[2] = {static_cast<double>(n), static_cast<double>(c)};
  Exp& e = registered_cache<Exp>().get(key_of(key, 2, "exp-rows"), [n, c] {
    auto md = rows_md(n, c);
    dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_exp,
                                  md, 0.f, 0.f);
    dnnl::eltwise_forward::primitive_desc pd(d, cpu_engine());
    return Exp{dnnl::eltwise_forward(pd), md};
  });
  auto& eng = cpu_engine();
  dnnl::memory src(e.md, eng, logp), dst(e.md, eng, dx);
  e.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  cpu_stream().wait();
  const int nt = n * c >= kParallelMin ? threads() : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < n; ++r) {
    float* row = dx + r * c;
    const float g = dloss[r];
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) row[j] *= g;
    row[y[r]] -= g;
  }
}

}  // namespace sgdl
