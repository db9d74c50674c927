// The addon's kernels. Each reads its operands from the wasm heap at the
// byte offsets in its argument block (napi.h); the layout of each block is
// documented beside its TypeScript caller in lib/engine/native/kernels/.
#pragma once
#include <string>

#include "napi.h"

namespace sgdl {

void conv(const Call& call);
std::string conv_impl(const Call& call);
void batch_norm_train(const Call& call);
void batch_norm_train_grad(const Call& call);
void batch_norm_infer(const Call& call);
void binary(const Call& call);
void unary(const Call& call);
void pool(const Call& call);
void matmul(const Call& call);
void reduce(const Call& call);
void slice(const Call& call);
void pad(const Call& call);
void concat(const Call& call);
void split(const Call& call);
void lstm_cell(const Call& call);
void lstm_cell_grad(const Call& call);
void sparse_xent(const Call& call);
void sparse_xent_grad(const Call& call);

}  // namespace sgdl
