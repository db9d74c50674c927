// The Node-API module: binds each kernel as fn(heap, args) and exposes
// the runtime (threads, versions, statistics). C++ exceptions become
// JavaScript errors; no exception crosses into Node.
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <string>

#include "kernels.h"
#include "napi.h"
#include "runtime.h"

namespace sgdl {

Call read_call(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 2) {
    throw Error("native kernel: expected (heap, args)");
  }
  Call call;
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_uint8_array) {
    throw Error("native kernel: heap must be a Uint8Array");
  }
  call.heap = static_cast<uint8_t*>(data);
  call.heap_bytes = length;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float64_array) {
    throw Error("native kernel: args must be a Float64Array");
  }
  call.args = static_cast<const double*>(data);
  call.nargs = length;
  return call;
}

namespace {

napi_value undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value string(napi_env env, const std::string& s) {
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  return v;
}

napi_value number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

void set(napi_env env, napi_value obj, const char* name, napi_value v) {
  napi_set_named_property(env, obj, name, v);
}

// Runs f and turns any C++ exception into a thrown JavaScript error.
template <typename F>
napi_value guarded(napi_env env, F f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    napi_throw_error(env, "ERR_SGDL_NATIVE", (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, "ERR_SGDL_NATIVE_MEMORY", "native kernel: out of memory");
  } catch (const std::exception& e) {
    napi_throw_error(env, "ERR_SGDL_NATIVE", e.what());
  }
  return nullptr;
}

template <void (*K)(const Call&)>
napi_value kernel(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Call call = read_call(env, info);
    count_call();
    K(call);
    return undefined(env);
  });
}

napi_value conv_impl_binding(napi_env env, napi_callback_info info) {
  return guarded(env, [&] { return string(env, conv_impl(read_call(env, info))); });
}

const char* isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "generic";
  }
}

// info() -> {onednn, isa, threads, scratchBytes, cachedPrimitives, calls}
napi_value info(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    napi_value obj;
    napi_create_object(env, &obj);
    const dnnl_version_t* v = dnnl_version();
    set(env, obj, "onednn",
        string(env, std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                        std::to_string(v->patch)));
    set(env, obj, "isa", string(env, isa_name(dnnl::get_effective_cpu_isa())));
    set(env, obj, "threads", number(env, threads()));
    set(env, obj, "ompMaxThreads", number(env, omp_get_max_threads()));
    Stats st = stats();
    set(env, obj, "scratchBytes", number(env, static_cast<double>(st.scratch_bytes)));
    set(env, obj, "cachedPrimitives", number(env, static_cast<double>(st.cached_primitives)));
    set(env, obj, "calls", number(env, static_cast<double>(st.calls)));
    return obj;
  });
}

napi_value set_threads_binding(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    size_t argc = 1;
    napi_value argv[1];
    napi_get_cb_info(env, cb, &argc, argv, nullptr, nullptr);
    int32_t n = 0;
    if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) {
      throw Error("setThreads: expected a whole number >= 1");
    }
    set_threads(n);
    return undefined(env);
  });
}

napi_value clear_caches_binding(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    clear_caches();
    return undefined(env);
  });
}

void define(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace
}  // namespace sgdl

NAPI_MODULE_INIT() {
  using namespace sgdl;
  define(env, exports, "info", info);
  define(env, exports, "setThreads", set_threads_binding);
  define(env, exports, "clearCaches", clear_caches_binding);
  define(env, exports, "conv", kernel<conv>);
  define(env, exports, "convImpl", conv_impl_binding);
  define(env, exports, "batchNormTrain", kernel<batch_norm_train>);
  define(env, exports, "batchNormTrainGrad", kernel<batch_norm_train_grad>);
  define(env, exports, "batchNormInfer", kernel<batch_norm_infer>);
  define(env, exports, "binary", kernel<binary>);
  define(env, exports, "unary", kernel<unary>);
  define(env, exports, "pool", kernel<pool>);
  define(env, exports, "matmul", kernel<matmul>);
  define(env, exports, "reduce", kernel<reduce>);
  define(env, exports, "slice", kernel<slice>);
  define(env, exports, "pad", kernel<pad>);
  define(env, exports, "concat", kernel<concat>);
  define(env, exports, "split", kernel<split>);
  define(env, exports, "lstmCell", kernel<lstm_cell>);
  define(env, exports, "lstmCellGrad", kernel<lstm_cell_grad>);
  define(env, exports, "sparseXent", kernel<sparse_xent>);
  define(env, exports, "sparseXentGrad", kernel<sparse_xent_grad>);
  set_threads(1);
  return exports;
}
