// Thread pool: default size from the online cores this process may use, every index of a
// parallel_for run exactly once, and ATTENDSEG_PIN_THREADS=1 placing each worker on its CPU.
// Catch2's assertions are not thread-safe: chunks only record what they saw.
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "test_util.h"
#include "thread_pool.h"

using attendseg::ThreadPool;

TEST_CASE("thread_pool_default_size_is_usable_online_cores") {
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  const long allowed = static_cast<long>(attendseg::allowed_cpus().size());
  CHECK(online >= 1);
  CHECK(allowed >= 1);
  const long want = allowed < online ? allowed : online;
  CHECK(attendseg::default_thread_count() == static_cast<int>(want));
  testing::ScopedEnv unpinned("ATTENDSEG_PIN_THREADS", nullptr);
  ThreadPool pool(0);
  CHECK(pool.size() == static_cast<int>(want));
  CHECK(pool.worker_cpu(1) == -1);  // not pinned unless asked
}

TEST_CASE("thread_pool_covers_every_index_once") {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    CHECK(pool.size() == threads);
    for (int64_t n : {1, 7, 64, 1000}) {
      INFO(threads << " threads, " << n << " indices");
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      for (auto& h : hits) h = 0;
      std::atomic<int> bad_thread{-1};
      pool.parallel_for(n, 3, [&](int64_t b, int64_t e, int t) {
        if (t < 0 || t >= threads) bad_thread = t;
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
      });
      CHECK(bad_thread == -1);
      std::vector<int> counts;
      for (auto& h : hits) counts.push_back(h.load());
      CHECK(counts == std::vector<int>(static_cast<size_t>(n), 1));
    }
  }
}

TEST_CASE("thread_pool_pins_workers_when_asked") {
  const std::vector<int> cpus = attendseg::allowed_cpus();
  REQUIRE(!cpus.empty());
  testing::ScopedEnv pinned("ATTENDSEG_PIN_THREADS", "1");
  ThreadPool pool(3);
  for (int i = 1; i < 3; ++i) CHECK(pool.worker_cpu(i) == cpus[static_cast<size_t>(i) % cpus.size()]);
  CHECK(pool.worker_cpu(0) == -1);  // the caller is never pinned
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
  CHECK(misplaced == 0);
}
