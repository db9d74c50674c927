// Small helpers over the Node-API C interface: argument blocks, errors.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace sgdl {

// Throws from C++ become JavaScript errors at the binding boundary.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The two arguments every kernel entry point takes: the wasm heap
// (a Uint8Array over the backend's memory) and a Float64Array of numbers
// (sizes, byte offsets into the heap, attributes). Both are views taken
// afresh on every call: the heap's buffer changes when wasm memory grows.
struct Call {
  uint8_t* heap = nullptr;
  size_t heap_bytes = 0;
  const double* args = nullptr;
  size_t nargs = 0;

  double num(size_t i) const {
    if (i >= nargs) throw Error("native kernel: missing argument " + std::to_string(i));
    return args[i];
  }
  int64_t i64(size_t i) const { return static_cast<int64_t>(num(i)); }
  int i32(size_t i) const { return static_cast<int>(num(i)); }
  bool flag(size_t i) const { return num(i) != 0; }

  // A float pointer into the heap for `count` elements at byte offset
  // args[i]; null when the offset is negative (an absent operand).
  float* f32(size_t i, int64_t count) const {
    double off = num(i);
    if (off < 0) return nullptr;
    uint64_t o = static_cast<uint64_t>(off);
    uint64_t end = o + static_cast<uint64_t>(count) * sizeof(float);
    if (end > heap_bytes || count < 0) {
      throw Error("native kernel: operand " + std::to_string(i) + " lies outside the wasm heap");
    }
    return reinterpret_cast<float*>(heap + o);
  }
};

// Reads (heap, args) from a callback's arguments.
Call read_call(napi_env env, napi_callback_info info);

}  // namespace sgdl
