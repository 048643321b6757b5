// attendseg_cpuid_view_check: run under LD_PRELOAD=libattendseg_cpuid_avx2_view.so (ctest does),
// checks that the process, and a thread it starts, sees an AVX2-only CPU (CPUID leaf 7, GCC's
// __builtin_cpu_supports, the engine's kernel tables) and that SIGSEGV still works as without the
// view: a handler the program installs runs, and a fault without one ends the process.
#include <dlfcn.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuid.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "kernels/kernels.h"

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

bool leaf7_has_avx512_or_vnni() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool avx512 = (b & (1u << 16)) || (b & (1u << 30)) || (b & (1u << 31)) || (c & (1u << 11));
  unsigned a1 = 0, b1 = 0, c1 = 0, d1 = 0;
  const bool avxvnni = a >= 1 && __get_cpuid_count(7, 1, &a1, &b1, &c1, &d1) && (a1 & (1u << 4));
  return avx512 || avxvnni;
}

// The child's exit: its status after touching address 0, with or without a handler of its own.
int fault_in_child(bool own_handler) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (own_handler) {
      struct sigaction sa;
      std::memset(&sa, 0, sizeof sa);
      sa.sa_handler = [](int) { _exit(42); };
      sigaction(SIGSEGV, &sa, nullptr);
    }
    volatile int* p = nullptr;
    *p = 1;
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

int main() {
  check(dlsym(RTLD_DEFAULT, "attendseg_cpuid_avx2_view") != nullptr, "the view is loaded (LD_PRELOAD)");
  check(!leaf7_has_avx512_or_vnni(), "CPUID leaf 7 shows no AVX-512 and no AVX-VNNI");
  bool thread_clean = false;
  std::thread([&] { thread_clean = !leaf7_has_avx512_or_vnni(); }).join();
  check(thread_clean, "nor in a new thread");
  __builtin_cpu_init();
  check(!__builtin_cpu_supports("avx512f") && !__builtin_cpu_supports("avx512vnni"),
        "__builtin_cpu_supports: no avx512f, no avx512vnni");
  for (const auto& t : attendseg::kernels::all_kernel_tables()) {
    const std::string name = t.table->name;
    if (name == "avx512vnni" || name == "avxvnni") check(!t.usable, "kernel table " + name + " not usable");
  }
  const int handled = fault_in_child(true);
  check(WIFEXITED(handled) && WEXITSTATUS(handled) == 42, "a fault reaches the program's own SIGSEGV handler");
  const int unhandled = fault_in_child(false);
  check(WIFSIGNALED(unhandled) && WTERMSIG(unhandled) == SIGSEGV, "a fault without a handler ends the process");
  return failures == 0 ? 0 : 1;
}
