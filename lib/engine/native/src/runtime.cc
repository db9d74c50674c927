#include "runtime.h"

#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace sgdl {

dnnl::engine& cpu_engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& cpu_stream() {
  static dnnl::stream s(cpu_engine());
  return s;
}

static int g_threads = 1;

void set_threads(int n) {
  g_threads = n < 1 ? 1 : n;
  omp_set_num_threads(g_threads);
}

int threads() { return g_threads; }

SingleThreaded::SingleThreaded(bool on) : on_(on && g_threads > 1) {
  if (on_) omp_set_num_threads(1);
}

SingleThreaded::~SingleThreaded() {
  if (on_) omp_set_num_threads(g_threads);
}

namespace {
struct Slot {
  void* ptr = nullptr;
  size_t bytes = 0;
};
Slot g_slots[kScratchSlots];
uint64_t g_calls = 0;
std::vector<std::pair<std::function<size_t()>, std::function<void()>>>& caches() {
  static std::vector<std::pair<std::function<size_t()>, std::function<void()>>> v;
  return v;
}
}  // namespace

float* scratch(int slot, size_t bytes) {
  Slot& s = g_slots[slot];
  if (bytes > s.bytes) {
    std::free(s.ptr);
    size_t rounded = (bytes + 4095) & ~size_t(4095);
    s.ptr = std::aligned_alloc(64, rounded);
    if (s.ptr == nullptr) {
      s.bytes = 0;
      throw std::bad_alloc();
    }
    s.bytes = rounded;
  }
  return static_cast<float*>(s.ptr);
}

Stats stats() {
  Stats st;
  for (auto& s : g_slots) st.scratch_bytes += s.bytes;
  for (auto& c : caches()) st.cached_primitives += c.first();
  st.calls = g_calls;
  return st;
}

void count_call() { ++g_calls; }

void register_cache(std::function<size_t()> size, std::function<void()> clear) {
  caches().emplace_back(std::move(size), std::move(clear));
}

void clear_caches() {
  for (auto& c : caches()) c.second();
  for (auto& s : g_slots) {
    std::free(s.ptr);
    s = Slot{};
  }
}

std::string key_of(const double* v, size_t n, const char* tag) {
  std::string k(tag);
  k.push_back(':');
  size_t at = k.size();
  k.resize(at + n * sizeof(double));
  std::memcpy(&k[at], v, n * sizeof(double));
  return k;
}

}  // namespace sgdl
