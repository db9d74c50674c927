// 2-D convolution forward, backward-data and backward-weights on oneDNN,
// over tensors that live in the wasm heap (NHWC or NCHW activations,
// HWIO filters, as TensorFlow.js stores them).
//
// oneDNN's fast kernels want blocked layouts. Filters are always given
// as `any` and reordered (they are small). Activations are used in place
// when the primitive accepts the user's layout at full speed, else
// reordered through scratch buffers; which one is decided per shape by a
// fixed rule (layout_for), so a run always takes the same path.
#include <cstring>
#include <cstdlib>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

// The argument block of conv(): see lib/engine/native/kernels/conv.ts.
enum Arg {
  kKind, kN, kC, kH, kW, kO, kKH, kKW, kOH, kOW, kSH, kSW, kDH, kDW,
  kPT, kPB, kPL, kPR, kChannelsLast, kAct, kOff0, kOff1, kOff2, kBias,
  kNumArgs
};
// Arguments that make up the primitive (everything but the offsets).
constexpr int kKeyArgs = kOff0;

enum Kind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

// How activations reach the primitive.
enum class Layout { kUser, kBlocked };

Layout layout_override() {
  static int mode = [] {
    const char* v = std::getenv("SGDL_NATIVE_LAYOUT");
    if (v == nullptr) return 0;
    if (std::strcmp(v, "user") == 0) return 1;
    if (std::strcmp(v, "blocked") == 0) return 2;
    return 0;
  }();
  return mode == 1 ? Layout::kUser : Layout::kBlocked;
}

bool has_layout_override() { return std::getenv("SGDL_NATIVE_LAYOUT") != nullptr; }

struct Conv {
  dnnl::primitive prim;
  memory::desc src, wei, dst, bias, pad;  // as the primitive wants them
  memory::desc user_src, user_wei, user_dst;
  bool reorder_src = false, reorder_wei = false, reorder_dst = false;
  // Each reorder runs in the direction the kind of pass needs: inputs
  // from the user's layout, outputs back to it.
  dnnl::reorder r_src, r_wei, r_dst;
};

Cache<Conv>& cache() { return registered_cache<Conv>(); }

struct Geometry {
  memory::dims src, wei, dst, strides, dilates, pad_l, pad_r;
  memory::desc user_src, user_wei, user_dst;
};

Geometry geometry(const double* a) {
  auto d = [a](int i) { return static_cast<memory::dim>(a[i]); };
  Geometry g;
  g.src = {d(kN), d(kC), d(kH), d(kW)};
  g.wei = {d(kO), d(kC), d(kKH), d(kKW)};
  g.dst = {d(kN), d(kO), d(kOH), d(kOW)};
  g.strides = {d(kSH), d(kSW)};
  g.dilates = {d(kDH) - 1, d(kDW) - 1};
  g.pad_l = {d(kPT), d(kPL)};
  g.pad_r = {d(kPB), d(kPR)};
  tag act = a[kChannelsLast] != 0 ? tag::nhwc : tag::nchw;
  g.user_src = memory::desc(g.src, dt::f32, act);
  g.user_wei = memory::desc(g.wei, dt::f32, tag::hwio);
  g.user_dst = memory::desc(g.dst, dt::f32, act);
  return g;
}

memory::desc any(const memory::dims& dims) { return memory::desc(dims, dt::f32, tag::any); }

dnnl::convolution_forward::desc forward_desc(const Geometry& g, const memory::desc& src,
                                             const memory::desc& dst, bool bias) {
  auto alg = dnnl::algorithm::convolution_direct;
  auto prop = dnnl::prop_kind::forward_training;
  if (bias) {
    memory::desc b({g.dst[1]}, dt::f32, tag::x);
    return dnnl::convolution_forward::desc(prop, alg, src, any(g.wei), b, dst, g.strides,
                                           g.dilates, g.pad_l, g.pad_r);
  }
  return dnnl::convolution_forward::desc(prop, alg, src, any(g.wei), dst, g.strides, g.dilates,
                                         g.pad_l, g.pad_r);
}

dnnl::primitive_attr attr_for(bool relu) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return attr;
}

dnnl::reorder reorder_between(const memory::desc& from, const memory::desc& to) {
  auto& eng = cpu_engine();
  return dnnl::reorder(memory(from, eng, nullptr), memory(to, eng, nullptr));
}

// Fills the reorders between the user's layouts and the primitive's.
// Outputs: dst (forward), src (backward data), weights (backward weights).
void plan_reorders(Conv& c, int kind) {
  c.reorder_src = c.src != c.user_src;
  c.reorder_wei = c.wei != c.user_wei;
  c.reorder_dst = c.dst != c.user_dst;
  auto plan = [](bool needed, bool output, const memory::desc& user, const memory::desc& prim) {
    if (!needed) return dnnl::reorder();
    return output ? reorder_between(prim, user) : reorder_between(user, prim);
  };
  c.r_src = plan(c.reorder_src, kind == kBackwardData, c.user_src, c.src);
  c.r_wei = plan(c.reorder_wei, kind == kBackwardWeights, c.user_wei, c.wei);
  c.r_dst = plan(c.reorder_dst, kind == kForward, c.user_dst, c.dst);
}

// The layout of activations for one conv, by a fixed rule measured on
// ResNet shapes (bench/engine.ts; SGDL_NATIVE_LAYOUT=user|blocked forces
// one): stride-1 convs run as fast on the user's NHWC (brgconv forward,
// jit backward) as on blocked layouts once the reorders are counted;
// strided convs are 1.5x faster blocked, reorders included. A tensor
// with 16 channels needs no reorder either way: its NHWC bytes are
// oneDNN's 16-channel blocked layout (same_bytes_blocked).
Layout layout_for(int kind, const Geometry& g) {
  if (has_layout_override()) return layout_override();
  const bool strided = g.strides[0] > 1 || g.strides[1] > 1;
  return strided ? Layout::kBlocked : Layout::kUser;
}

// A 16-channel NHWC tensor described as nChw16c (the same bytes).
memory::desc same_bytes_blocked(const memory::desc& user, const memory::dims& dims) {
  if (dims[1] == 16 && user == memory::desc(dims, dt::f32, tag::nhwc)) {
    return memory::desc(dims, dt::f32, tag::nChw16c);
  }
  return user;
}

Conv make(const double* a) {
  const int kind = static_cast<int>(a[kKind]);
  const bool bias = a[kBias] >= 0;
  const bool relu = a[kAct] == 1;
  Geometry g = geometry(a);
  Layout layout = layout_for(kind, g);
  auto& eng = cpu_engine();
  memory::desc src = layout == Layout::kUser ? g.user_src : any(g.src);
  memory::desc dst = layout == Layout::kUser ? g.user_dst : any(g.dst);
  Conv c;
  c.user_src = g.user_src;
  c.user_wei = g.user_wei;
  c.user_dst = g.user_dst;
  auto fwd_d = forward_desc(g, src, dst, kind == kForward && bias);
  auto attr = attr_for(kind == kForward && relu);
  dnnl::convolution_forward::primitive_desc fwd(fwd_d, attr, eng);
  if (kind == kForward) {
    c.src = fwd.src_desc();
    c.wei = fwd.weights_desc();
    c.dst = fwd.dst_desc();
    if (bias) c.bias = fwd.bias_desc();
    c.pad = fwd.scratchpad_desc();
    c.prim = dnnl::convolution_forward(fwd);
  } else if (kind == kBackwardData) {
    dnnl::convolution_backward_data::desc bd(dnnl::algorithm::convolution_direct, src,
                                             any(g.wei), dst, g.strides, g.dilates, g.pad_l,
                                             g.pad_r);
    dnnl::convolution_backward_data::primitive_desc pd(bd, attr, eng, fwd);
    c.src = pd.diff_src_desc();
    c.wei = pd.weights_desc();
    c.dst = pd.diff_dst_desc();
    c.pad = pd.scratchpad_desc();
    c.prim = dnnl::convolution_backward_data(pd);
  } else {
    dnnl::convolution_backward_weights::desc bd(dnnl::algorithm::convolution_direct, src,
                                                any(g.wei), dst, g.strides, g.dilates, g.pad_l,
                                                g.pad_r);
    dnnl::convolution_backward_weights::primitive_desc pd(bd, attr, eng, fwd);
    c.src = pd.src_desc();
    c.wei = pd.diff_weights_desc();
    c.dst = pd.diff_dst_desc();
    c.pad = pd.scratchpad_desc();
    c.prim = dnnl::convolution_backward_weights(pd);
  }
  // A blocked choice that has the user's bytes needs no reorder.
  if (c.src == same_bytes_blocked(c.user_src, g.src)) c.user_src = c.src;
  if (c.dst == same_bytes_blocked(c.user_dst, g.dst)) c.user_dst = c.dst;
  plan_reorders(c, kind);
  return c;
}

std::string impl_of(const Conv& c) {
  const char* s = nullptr;
  dnnl_primitive_desc_query(c.prim.get_primitive_desc(), dnnl_query_impl_info_str, 0, &s);
  return s == nullptr ? "" : s;
}

}  // namespace

void conv(const Call& call) {
  if (call.nargs < kNumArgs) throw Error("conv: expected " + std::to_string(kNumArgs) + " arguments");
  const double* a = call.args;
  Conv& c = cache().get(key_of(a, kKeyArgs, "conv"), [a] { return make(a); });
  const int kind = call.i32(kKind);
  auto& eng = cpu_engine();
  auto& s = cpu_stream();
  auto n = [](const memory::desc& d) { return static_cast<int64_t>(d.get_size() / sizeof(float)); };
  // User buffers: (src, wei, dst) by kind.
  float* user_src;
  float* user_wei;
  float* user_dst;
  if (kind == kForward) {
    user_src = call.f32(kOff0, n(c.user_src));
    user_wei = call.f32(kOff1, n(c.user_wei));
    user_dst = call.f32(kOff2, n(c.user_dst));
  } else if (kind == kBackwardData) {
    user_dst = call.f32(kOff0, n(c.user_dst));
    user_wei = call.f32(kOff1, n(c.user_wei));
    user_src = call.f32(kOff2, n(c.user_src));
  } else {
    user_src = call.f32(kOff0, n(c.user_src));
    user_dst = call.f32(kOff1, n(c.user_dst));
    user_wei = call.f32(kOff2, n(c.user_wei));
  }
  memory src(c.src, eng, c.reorder_src ? scratch(0, c.src.get_size()) : user_src);
  memory wei(c.wei, eng, c.reorder_wei ? scratch(1, c.wei.get_size()) : user_wei);
  memory dst(c.dst, eng, c.reorder_dst ? scratch(2, c.dst.get_size()) : user_dst);
  memory pad(c.pad, eng, scratch(3, c.pad.get_size() + 64));
  memory usrc(c.user_src, eng, user_src), uwei(c.user_wei, eng, user_wei),
      udst(c.user_dst, eng, user_dst);
  auto in = [&](bool needed, dnnl::reorder& r, memory& user, memory& prim) {
    if (needed) r.execute(s, user, prim);
  };
  auto out = [&](bool needed, dnnl::reorder& r, memory& prim, memory& user) {
    if (needed) r.execute(s, prim, user);
  };
  if (kind == kForward) {
    in(c.reorder_src, c.r_src, usrc, src);
    in(c.reorder_wei, c.r_wei, uwei, wei);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei},
                                         {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, pad}};
    if (a[kBias] >= 0) {
      args.emplace(DNNL_ARG_BIAS, memory(c.bias, eng, call.f32(kBias, call.i64(kO))));
    }
    c.prim.execute(s, args);
    out(c.reorder_dst, c.r_dst, dst, udst);
  } else if (kind == kBackwardData) {
    in(c.reorder_dst, c.r_dst, udst, dst);
    in(c.reorder_wei, c.r_wei, uwei, wei);
    c.prim.execute(s, {{DNNL_ARG_DIFF_DST, dst}, {DNNL_ARG_WEIGHTS, wei},
                       {DNNL_ARG_DIFF_SRC, src}, {DNNL_ARG_SCRATCHPAD, pad}});
    out(c.reorder_src, c.r_src, src, usrc);
  } else {
    in(c.reorder_src, c.r_src, usrc, src);
    in(c.reorder_dst, c.r_dst, udst, dst);
    c.prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, dst},
                       {DNNL_ARG_DIFF_WEIGHTS, wei}, {DNNL_ARG_SCRATCHPAD, pad}});
    out(c.reorder_wei, c.r_wei, wei, uwei);
  }
  s.wait();
}

std::string conv_impl(const Call& call) {
  const double* a = call.args;
  Conv& c = cache().get(key_of(a, kKeyArgs, "conv"), [a] { return make(a); });
  std::string out = impl_of(c);
  if (c.reorder_src || c.reorder_dst) out += " (reordered activations)";
  return out;
}

}  // namespace sgdl
