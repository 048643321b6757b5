#include "thread_pool.h"

#include <algorithm>
#include <chrono>

#include "env_settings.h"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define ATTENDSEG_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define ATTENDSEG_PAUSE() asm volatile("yield")
#else
#define ATTENDSEG_PAUSE() ((void)0)
#endif

namespace attendseg {

std::vector<int> allowed_cpus() {
  std::vector<int> cpus;
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
#endif
  return cpus;
}

// Jetson power modes (nvpmodel) take cores offline, and containers narrow the affinity mask:
// both must shrink the pool, or threads would share cores and every op would wait for the
// slowest of them.
int default_thread_count() {
  long online = 0;
#if defined(__linux__)
  online = sysconf(_SC_NPROCESSORS_ONLN);
#endif
  if (online < 1) online = static_cast<long>(std::thread::hardware_concurrency());
  const long allowed = static_cast<long>(allowed_cpus().size());
  const long n = allowed > 0 && allowed < online ? allowed : online;
  return n > 0 ? static_cast<int>(n) : 1;
}

// Pinning (opt-in): worker i runs on the i-th allowed CPU, leaving the first one to the
// calling thread, which belongs to the application (a Node worker) and is never pinned. Fixed
// placement keeps each worker's rows in its own core's cache from op to op; it is opt-in
// because it is wrong when several engines or other busy threads share the machine.
ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = default_thread_count();
  if (env_settings().pin_threads) {
    const std::vector<int> cpus = allowed_cpus();
    if (!cpus.empty())
      for (int i = 1; i < threads; ++i) worker_cpus_.push_back(cpus[static_cast<size_t>(i) % cpus.size()]);
  }
  // Workers start from generation 0, not from whatever they read when they first run: a job
  // or the destructor may bump it before a new thread gets going, and a worker that took the
  // bumped value as "seen" would sleep through it (and never return to be joined).
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { worker(i, 0); });
}

int ThreadPool::worker_cpu(int index) const {
  if (index < 1 || static_cast<size_t>(index) > worker_cpus_.size()) return -1;
  return worker_cpus_[static_cast<size_t>(index) - 1];
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::work_on_job(int thread_index) {
  for (;;) {
    const int64_t c = next_.fetch_add(1, std::memory_order_relaxed);
    if (c >= chunks_) break;
    const int64_t b = c * chunk_;
    const int64_t e = std::min(n_, b + chunk_);
    tramp_(ctx_, b, e, thread_index);
    done_.fetch_add(1, std::memory_order_release);
  }
}

// Job fields are written under mutex_ and only while no worker is inside a job; a worker
// enters a job under the same mutex, so it always sees one job's fields whole.
void ThreadPool::run(int64_t n, int64_t grain, Trampoline tramp, void* ctx) {
  if (n <= 0) return;
  const int threads = size();
  grain = std::max<int64_t>(grain, 1);
  // A few chunks per thread balance uneven rows without much scheduling overhead.
  const int64_t chunk = std::max<int64_t>(grain, (n + threads * 4 - 1) / (threads * 4));
  const int64_t chunks = (n + chunk - 1) / chunk;
  if (threads == 1 || chunks == 1) {
    tramp(ctx, 0, n, 0);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    while (active_workers_.load(std::memory_order_acquire) != 0) {
      lock.unlock();
      ATTENDSEG_PAUSE();
      lock.lock();
    }
    tramp_ = tramp;
    ctx_ = ctx;
    n_ = n;
    chunk_ = chunk;
    chunks_ = chunks;
    done_.store(0, std::memory_order_relaxed);
    next_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  work_on_job(0);
  while (done_.load(std::memory_order_acquire) < chunks) ATTENDSEG_PAUSE();
}

void ThreadPool::worker(int index, uint64_t seen) {
#if defined(__linux__)
  if (!worker_cpus_.empty()) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(worker_cpus_[static_cast<size_t>(index) - 1], &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);  // best effort: a refusal only costs speed
  }
#endif
  for (;;) {
    // Spin for a short while: consecutive ops follow each other within microseconds.
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
    while (generation_.load(std::memory_order_acquire) == seen &&
           std::chrono::steady_clock::now() < spin_until) {
      for (int i = 0; i < 32; ++i) ATTENDSEG_PAUSE();
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      seen = generation_.load(std::memory_order_acquire);
      if (stop_.load()) return;
      active_workers_.fetch_add(1, std::memory_order_acq_rel);
    }
    work_on_job(index);
    active_workers_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace attendseg
