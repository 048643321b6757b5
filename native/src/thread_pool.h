// A persistent pool: workers spin briefly, then sleep, between jobs. A frame runs ~100 short
// ops, so waking threads through a condition variable alone would cost more than the ops.
// Defaults suit small boards such as Jetson: one thread per online core this process may use,
// and, with ATTENDSEG_PIN_THREADS=1, each worker pinned to its own core (see thread_pool.cpp).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace attendseg {

class ThreadPool {
 public:
  // `threads` counts the caller, which always takes part; 0 means all online cores.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // The CPU worker `index` (1..size()-1) is pinned to, or -1 when workers are not pinned.
  int worker_cpu(int index) const;

  // Calls fn(begin, end, thread_index) over [0, n) in chunks of at least `grain`, blocking
  // until all are done. No allocation: the callable is passed by reference.
  template <class F>
  void parallel_for(int64_t n, int64_t grain, F&& fn) {
    using Fn = typename std::remove_reference<F>::type;
    run(n, grain, [](void* ctx, int64_t b, int64_t e, int t) { (*static_cast<Fn*>(ctx))(b, e, t); },
        const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Trampoline = void (*)(void*, int64_t, int64_t, int);
  void run(int64_t n, int64_t grain, Trampoline tramp, void* ctx);
  void worker(int index, uint64_t seen);
  void work_on_job(int thread_index);

  std::vector<std::thread> workers_;
  std::vector<int> worker_cpus_;  // per worker, index - 1; empty when not pinned
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  // The current job.
  Trampoline tramp_ = nullptr;
  void* ctx_ = nullptr;
  int64_t n_ = 0, chunk_ = 0, chunks_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<int> active_workers_{0};
};

// Online cores (sysconf(_SC_NPROCESSORS_ONLN)) that this process may run on (its affinity
// mask, as narrowed by taskset or a container's cpuset), at least 1.
int default_thread_count();
// The CPUs this process may run on, in increasing order; empty where that cannot be queried.
std::vector<int> allowed_cpus();

}  // namespace attendseg
