// Shared state of the addon: the oneDNN engine and stream, the thread
// count, grow-only scratch buffers and a cache of primitives by key.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace sgdl {

dnnl::engine& cpu_engine();
dnnl::stream& cpu_stream();

// Threads for oneDNN and the addon's own loops (OpenMP).
void set_threads(int n);
int threads();

// Element counts below this run on one thread: an OpenMP fork costs more
// than the work.
constexpr int64_t kParallelMin = 1 << 15;

// Runs oneDNN calls on one thread while in scope (small problems, where
// waking the pool costs more than the work), then restores the count.
class SingleThreaded {
 public:
  explicit SingleThreaded(bool on);
  ~SingleThreaded();
  SingleThreaded(const SingleThreaded&) = delete;
  SingleThreaded& operator=(const SingleThreaded&) = delete;

 private:
  bool on_;
};

// A grow-only, 64-byte-aligned buffer. Slots are reused by every call:
// kernels run one at a time on the JavaScript thread.
float* scratch(int slot, size_t bytes);
constexpr int kScratchSlots = 6;

// Bytes held by scratch buffers and oneDNN's primitive caches.
struct Stats {
  size_t scratch_bytes = 0;
  size_t cached_primitives = 0;
  uint64_t calls = 0;
};
Stats stats();
void count_call();

// A cache of anything built once per key (primitive descriptors and
// primitives for one shape). Bounded: cleared when it grows past a limit.
template <typename T>
class Cache {
 public:
  T& get(const std::string& key, const std::function<T()>& make) {
    auto it = map_.find(key);
    if (it != map_.end()) return *it->second;
    if (map_.size() >= kLimit) map_.clear();
    auto p = std::make_unique<T>(make());
    T& ref = *p;
    map_.emplace(key, std::move(p));
    return ref;
  }
  size_t size() const { return map_.size(); }
  void clear() { map_.clear(); }

 private:
  static constexpr size_t kLimit = 512;
  std::unordered_map<std::string, std::unique_ptr<T>> map_;
};

// Registers a cache's size for stats() and clear_caches().
void register_cache(std::function<size_t()> size, std::function<void()> clear);
void clear_caches();

// A process-wide cache of T, registered with stats() and clear_caches().
template <typename T>
Cache<T>& registered_cache() {
  static Cache<T>* c = [] {
    auto* p = new Cache<T>();
    register_cache([p] { return p->size(); }, [p] { p->clear(); });
    return p;
  }();
  return *c;
}

// Builds a key from numbers.
std::string key_of(const double* v, size_t n, const char* tag);

}  // namespace sgdl
