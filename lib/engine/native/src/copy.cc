// Data movement: slice, constant pad, concat and split of float tensors in
// row-major order, as runs of contiguous copies split over threads.
// (ResNet's option-A shortcut pads channels and its gradient slices
// them; DenseNet concatenates along channels and its gradient slices.)
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "runtime.h"

namespace sgdl {
namespace {

constexpr int kMaxRank = 8;

// Shape and the strides of a row-major layout.
struct Dims {
  int rank = 0;
  int64_t d[kMaxRank] = {};
  int64_t stride[kMaxRank] = {};
  int64_t size() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= d[i];
    return n;
  }
  void strides() {
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) {
      stride[i] = s;
      s *= d[i];
    }
  }
};

// Offsets in `a` and `b` (strides of each) of row index `row` over the
// leading rank-1 dims of `box`, plus per-dim shifts.
inline void row_offsets(int64_t row, const Dims& box, const int64_t* a_shift,
                        const Dims& a, const int64_t* b_shift, const Dims& b, int64_t* oa,
                        int64_t* ob) {
  int64_t ia = a_shift[box.rank - 1] * a.stride[box.rank - 1];
  int64_t ib = b_shift[box.rank - 1] * b.stride[box.rank - 1];
  for (int i = box.rank - 2; i >= 0; --i) {
    const int64_t k = row % box.d[i];
    row /= box.d[i];
    ia += (k + a_shift[i]) * a.stride[i];
    ib += (k + b_shift[i]) * b.stride[i];
  }
  *oa = ia;
  *ob = ib;
}

// Copies the box `box` from src (at src_shift) to dst (at dst_shift).
void copy_box(const float* src, const Dims& s, const int64_t* src_shift, float* dst,
              const Dims& d, const int64_t* dst_shift, const Dims& box) {
  const int64_t run = box.d[box.rank - 1];
  const int64_t rows = box.size() / std::max<int64_t>(run, 1);
  if (run == 0 || rows == 0) return;
  const int nt = box.size() >= kParallelMin ? threads() : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t os, od;
    row_offsets(r, box, src_shift, s, dst_shift, d, &os, &od);
    std::memcpy(dst + od, src + os, run * sizeof(float));
  }
}

Dims read_dims(const Call& call, size_t at, int rank) {
  Dims dims;
  dims.rank = rank;
  for (int i = 0; i < rank; ++i) dims.d[i] = call.i64(at + i);
  dims.strides();
  return dims;
}

int read_rank(const Call& call) {
  const int rank = call.i32(0);
  if (rank < 1 || rank > kMaxRank) throw Error("copy: rank must be 1 to 8");
  return rank;
}

}  // namespace

// args: rank, shape[rank], begin[rank], size[rank], src, dst
void slice(const Call& call) {
  const int rank = read_rank(call);
  Dims s = read_dims(call, 1, rank);
  Dims box = read_dims(call, 1 + 2 * rank, rank);
  int64_t begin[kMaxRank] = {}, zero[kMaxRank] = {};
  for (int i = 0; i < rank; ++i) {
    begin[i] = call.i64(1 + rank + i);
    if (begin[i] < 0 || begin[i] + box.d[i] > s.d[i]) throw Error("slice: out of range");
  }
  const float* src = call.f32(1 + 3 * rank, s.size());
  float* dst = call.f32(2 + 3 * rank, box.size());
  copy_box(src, s, begin, dst, box, zero, box);
}

// args: rank, shape[rank], before[rank], after[rank], value, src, dst
void pad(const Call& call) {
  const int rank = read_rank(call);
  Dims s = read_dims(call, 1, rank);
  Dims d;
  d.rank = rank;
  int64_t before[kMaxRank] = {}, zero[kMaxRank] = {};
  for (int i = 0; i < rank; ++i) {
    before[i] = call.i64(1 + rank + i);
    const int64_t after = call.i64(1 + 2 * rank + i);
    if (before[i] < 0 || after < 0) throw Error("pad: negative padding");
    d.d[i] = s.d[i] + before[i] + after;
  }
  d.strides();
  const float value = static_cast<float>(call.num(1 + 3 * rank));
  const float* src = call.f32(2 + 3 * rank, s.size());
  float* dst = call.f32(3 + 3 * rank, d.size());
  const int64_t n = d.size();
  const int nt = n >= kParallelMin ? threads() : 1;
#pragma omp parallel for simd num_threads(nt) schedule(static)
  for (int64_t i = 0; i < n; ++i) dst[i] = value;
  copy_box(src, s, zero, dst, d, before, s);
}

namespace {

// Concat (join: parts -> whole) or split (whole -> parts) of
// [outer, inner_i] parts along the inner axis of an [outer, sum inner_i]
// whole. args: outer, count, count pairs (inner_i, part_i), whole.
void join_or_split(const Call& call, bool join) {
  const int64_t outer = call.i64(0);
  const int64_t count = call.i64(1);
  if (count < 1) throw Error(join ? "concat: no inputs" : "split: no outputs");
  std::vector<int64_t> inner(count), at(count);
  std::vector<float*> part(count);
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    inner[i] = call.i64(2 + 2 * i);
    part[i] = call.f32(3 + 2 * i, outer * inner[i]);
    at[i] = total;
    total += inner[i];
  }
  float* whole = call.f32(2 + 2 * count, outer * total);
  const int nt = outer * total >= kParallelMin ? threads() : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t r = 0; r < outer; ++r) {
    for (int64_t i = 0; i < count; ++i) {
      float* w = whole + r * total + at[i];
      float* p = part[i] + r * inner[i];
      if (join) {
        std::memcpy(w, p, inner[i] * sizeof(float));
      } else {
        std::memcpy(p, w, inner[i] * sizeof(float));
      }
    }
  }
}

}  // namespace

// args: outer, count, then count pairs (inner_i, x_i), then y.
void concat(const Call& call) { join_or_split(call, true); }

// args: outer, count, then count pairs (inner_i, y_i), then x: the
// inverse of concat (tf.split, and concat's gradient).
void split(const Call& call) { join_or_split(call, false); }

}  // namespace sgdl
