// Element-wise kernels: binary ops with the broadcasts training needs
// (same shape, one operand repeated along leading or trailing axes) and
// unary ops. Transcendental unary ops run on oneDNN's vectorised eltwise
// primitive; the rest are plain loops the compiler vectorises.
#include <cmath>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

enum BinaryOp { kAdd, kSub, kMul, kDiv, kMax, kMin, kSquaredDiff };

// How b (or a) is repeated: out[i] uses a[ia(i)], b[ib(i)].
enum Broadcast {
  kSame,       // both have n elements
  kBInner,     // b has `inner` elements: b[i % inner]
  kAInner,     // a has `inner` elements: a[i % inner]
  kBOuter,     // b has n / inner elements: b[i / inner]
  kAOuter,     // a has n / inner elements: a[i / inner]
  kBMiddle,    // out is [outer, mid, inner], b is [outer, 1, inner]
  kAMiddle,    // out is [outer, mid, inner], a is [outer, 1, inner]
};

template <int Op>
inline float apply(float a, float b) {
  if constexpr (Op == kAdd) return a + b;
  if constexpr (Op == kSub) return a - b;
  if constexpr (Op == kMul) return a * b;
  if constexpr (Op == kDiv) return a / b;
  if constexpr (Op == kMax) return (a > b || std::isnan(a)) ? a : b;
  if constexpr (Op == kMin) return (a < b || std::isnan(a)) ? a : b;
  if constexpr (Op == kSquaredDiff) return (a - b) * (a - b);
  return 0.f;
}

template <int Op>
void run_binary(int bc, int64_t n, int64_t inner, int64_t mid, const float* a, const float* b,
                float* out) {
  const int nt = n >= kParallelMin ? threads() : 1;
  if (bc == kSame) {
#pragma omp parallel for simd num_threads(nt) schedule(static)
    for (int64_t i = 0; i < n; ++i) out[i] = apply<Op>(a[i], b[i]);
    return;
  }
  // A scalar operand (a weight decay, a learning rate): one flat loop, not
  // n rows of one element.
  if ((bc == kBInner || bc == kAInner) && inner == 1) {
    const float v = bc == kBInner ? b[0] : a[0];
    const float* x = bc == kBInner ? a : b;
    if (bc == kBInner) {
#pragma omp parallel for simd num_threads(nt) schedule(static)
      for (int64_t i = 0; i < n; ++i) out[i] = apply<Op>(x[i], v);
    } else {
#pragma omp parallel for simd num_threads(nt) schedule(static)
      for (int64_t i = 0; i < n; ++i) out[i] = apply<Op>(v, x[i]);
    }
    return;
  }
  if (bc == kBMiddle || bc == kAMiddle) {
    // Rows of `inner`; row r = o * mid + m uses the small operand's row o.
    const int64_t rows = n / inner;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t o = r * inner;
      const int64_t s = (r / mid) * inner;
      if (bc == kBMiddle) {
#pragma omp simd
        for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(a[o + j], b[s + j]);
      } else {
#pragma omp simd
        for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(a[s + j], b[o + j]);
      }
    }
    return;
  }
  const int64_t rows = n / inner;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t o = r * inner;
    if (bc == kBInner) {
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(a[o + j], b[j]);
    } else if (bc == kAInner) {
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(a[j], b[o + j]);
    } else if (bc == kBOuter) {
      const float bv = b[r];
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(a[o + j], bv);
    } else {
      const float av = a[r];
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) out[o + j] = apply<Op>(av, b[o + j]);
    }
  }
}

enum UnaryOp { kRelu, kStep, kNeg, kSquare, kSqrt, kRsqrt, kAbs, kExp, kLog, kSigmoid, kTanh };

template <typename F>
void map(int64_t n, const float* x, float* y, F f) {
  const int nt = n >= kParallelMin ? threads() : 1;
#pragma omp parallel for simd num_threads(nt) schedule(static)
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

struct Eltwise {
  dnnl::eltwise_forward prim;
  dnnl::memory::desc md;
};

Cache<Eltwise>& eltwise_cache() { return registered_cache<Eltwise>(); }

void onednn_unary(dnnl::algorithm alg, int64_t n, const float* x, float* y) {
  double k[2] = {static_cast<double>(alg), static_cast<double>(n)};
  Eltwise& e = eltwise_cache().get(key_of(k, 2, "eltwise"), [alg, n] {
    dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x);
    dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, alg, md, 0.f, 0.f);
    dnnl::eltwise_forward::primitive_desc pd(d, cpu_engine());
    return Eltwise{dnnl::eltwise_forward(pd), md};
  });
  auto& eng = cpu_engine();
  dnnl::memory src(e.md, eng, const_cast<float*>(x)), dst(e.md, eng, y);
  e.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  cpu_stream().wait();
}

}  // namespace

// args: op, broadcast, n (output elements), inner, a, b, out, mid (the
// repeated axes' size for the middle broadcasts, else 1)
void binary(const Call& call) {
  const int op = call.i32(0), bc = call.i32(1);
  const int64_t n = call.i64(2), inner = call.i64(3), mid = call.i64(7);
  if (inner <= 0 || n % inner != 0) throw Error("binary: inner must divide n");
  if (mid <= 0 || (n / inner) % mid != 0) throw Error("binary: mid must divide n / inner");
  const bool middle = bc == kBMiddle || bc == kAMiddle;
  auto count = [&](bool full, bool inner_side) {
    if (full) return n;
    if (middle) return n / mid;
    return inner_side ? inner : n / inner;
  };
  const bool a_full = bc == kSame || bc == kBInner || bc == kBOuter || bc == kBMiddle;
  const bool b_full = bc == kSame || bc == kAInner || bc == kAOuter || bc == kAMiddle;
  const float* a = call.f32(4, count(a_full, bc == kAInner));
  const float* b = call.f32(5, count(b_full, bc == kBInner));
  float* out = call.f32(6, n);
  switch (op) {
    case kAdd: return run_binary<kAdd>(bc, n, inner, mid, a, b, out);
    case kSub: return run_binary<kSub>(bc, n, inner, mid, a, b, out);
    case kMul: return run_binary<kMul>(bc, n, inner, mid, a, b, out);
    case kDiv: return run_binary<kDiv>(bc, n, inner, mid, a, b, out);
    case kMax: return run_binary<kMax>(bc, n, inner, mid, a, b, out);
    case kMin: return run_binary<kMin>(bc, n, inner, mid, a, b, out);
    case kSquaredDiff: return run_binary<kSquaredDiff>(bc, n, inner, mid, a, b, out);
    default: throw Error("binary: unknown op " + std::to_string(op));
  }
}

// args: op, n, x, y, alpha
void unary(const Call& call) {
  const int op = call.i32(0);
  const int64_t n = call.i64(1);
  const float* x = call.f32(2, n);
  float* y = call.f32(3, n);
  const float alpha = static_cast<float>(call.num(4));
  switch (op) {
    case kRelu: return map(n, x, y, [](float v) { return v > 0.f ? v : (v == v ? 0.f : v); });
    case kStep: return map(n, x, y, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); });
    case kNeg: return map(n, x, y, [](float v) { return -v; });
    case kSquare: return map(n, x, y, [](float v) { return v * v; });
    case kSqrt: return map(n, x, y, [](float v) { return std::sqrt(v); });
    case kRsqrt: return map(n, x, y, [](float v) { return 1.f / std::sqrt(v); });
    case kAbs: return map(n, x, y, [](float v) { return std::fabs(v); });
    case kExp: return onednn_unary(dnnl::algorithm::eltwise_exp, n, x, y);
    case kLog: return onednn_unary(dnnl::algorithm::eltwise_log, n, x, y);
    case kSigmoid: return onednn_unary(dnnl::algorithm::eltwise_logistic, n, x, y);
    case kTanh: return onednn_unary(dnnl::algorithm::eltwise_tanh, n, x, y);
    default: throw Error("unary: unknown op " + std::to_string(op));
  }
}

}  // namespace sgdl
