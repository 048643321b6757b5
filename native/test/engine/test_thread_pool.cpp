// Thread pool: default size from the online cores this process may use, every index of a
// parallel_for run exactly once, and ATTENDSEG_PIN_THREADS=1 placing each worker on its CPU.
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "test_util.h"
#include "thread_pool.h"

using attendseg::ThreadPool;

TEST(thread_pool_default_size_is_usable_online_cores) {
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  const long allowed = static_cast<long>(attendseg::allowed_cpus().size());
  CHECK(online >= 1);
  CHECK(allowed >= 1);
  const long want = allowed < online ? allowed : online;
  CHECK_EQ(attendseg::default_thread_count(), static_cast<int>(want));
  unsetenv("ATTENDSEG_PIN_THREADS");
  ThreadPool pool(0);
  CHECK_EQ(pool.size(), static_cast<int>(want));
  CHECK_EQ(pool.worker_cpu(1), -1);  // not pinned unless asked
}

TEST(thread_pool_covers_every_index_once) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    CHECK_EQ(pool.size(), threads);
    for (int64_t n : {1, 7, 64, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      for (auto& h : hits) h = 0;
      pool.parallel_for(n, 3, [&](int64_t b, int64_t e, int t) {
        CHECK(t >= 0 && t < threads);
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
      });
      for (auto& h : hits) CHECK_EQ(h.load(), 1);
    }
  }
}

TEST(thread_pool_pins_workers_when_asked) {
  const std::vector<int> cpus = attendseg::allowed_cpus();
  CHECK(!cpus.empty());
  if (cpus.empty()) return;
  setenv("ATTENDSEG_PIN_THREADS", "1", 1);
  ThreadPool pool(3);
  unsetenv("ATTENDSEG_PIN_THREADS");
  for (int i = 1; i < 3; ++i) CHECK_EQ(pool.worker_cpu(i), cpus[static_cast<size_t>(i) % cpus.size()]);
  CHECK_EQ(pool.worker_cpu(0), -1);  // the caller is never pinned
  // Whenever a worker runs a chunk, it runs on its CPU. Slow chunks give the workers time to
  // wake and take some.
  std::mutex m;
  int worker_chunks = 0, misplaced = 0;
  for (int round = 0; round < 20; ++round)
    pool.parallel_for(64, 1, [&](int64_t, int64_t, int t) {
      volatile double x = 1;
      for (int k = 0; k < 20000; ++k) x = x * 1.0000001;
      if (t == 0) return;
      const int cpu = sched_getcpu();
      std::lock_guard<std::mutex> lock(m);
      worker_chunks++;
      if (cpu != pool.worker_cpu(t)) misplaced++;
    });
  CHECK(worker_chunks > 0);
  CHECK_EQ(misplaced, 0);
}
