// libattendseg_cpuid_avx2_view.so: run a whole process (Node, ONNX Runtime, our engine) as if on
// an AVX2-only CPU, for `npm run bench -- --cpu avx2`. Loaded with LD_PRELOAD, it turns on CPUID
// faulting (Linux arch_prctl(ARCH_SET_CPUID), where the CPU has cpuid_fault), so every CPUID
// instruction raises SIGSEGV; the handler executes it for real and clears the AVX-512, AVX-VNNI and
// AMX bits of leaf 7 before returning the registers. Every library then dispatches as on a Zen 3
// or Haswell, which ATTENDSEG_ISA=avx2 cannot do for ONNX Runtime's MLAS.
//
// The process keeps its own SIGSEGV handling: sigaction() and signal() for SIGSEGV are interposed
// and only recorded (Node resets every handler at start, then installs its own), and a fault that
// is not a CPUID goes to the recorded handler, or ends the process as it would have.
// Where CPUID faulting is unavailable the process exits with status 77 before main, naming why:
// a bench that silently kept AVX-512 would report the wrong CPU.
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

using SigactionFn = int (*)(int, const struct sigaction*, struct sigaction*);
SigactionFn real_sigaction = nullptr;
struct sigaction app_segv;  // what the process asked for SIGSEGV: SIG_DFL until it asks

constexpr uint32_t bit(int i) { return 1u << i; }

// Leaf 7, subleaf 0. EBX: AVX512F, DQ, IFMA, PF, ER, CD, BW, VL. ECX: VBMI, VBMI2, VNNI, BITALG,
// VPOPCNTDQ. EDX: 4VNNIW, 4FMAPS, VP2INTERSECT, AMX-BF16, AVX512-FP16, AMX-TILE, AMX-INT8.
constexpr uint32_t kLeaf7Ebx = bit(16) | bit(17) | bit(21) | bit(26) | bit(27) | bit(28) | bit(30) | bit(31);
constexpr uint32_t kLeaf7Ecx = bit(1) | bit(6) | bit(11) | bit(12) | bit(14);
constexpr uint32_t kLeaf7Edx = bit(2) | bit(3) | bit(8) | bit(22) | bit(23) | bit(24) | bit(25);
// Leaf 7, subleaf 1. EAX: AVX-VNNI, AVX512-BF16, AMX-FP16, AVX-IFMA. EDX: AVX-VNNI-INT8,
// AVX-NE-CONVERT, AVX10.
constexpr uint32_t kLeaf7s1Eax = bit(4) | bit(5) | bit(21) | bit(23);
constexpr uint32_t kLeaf7s1Edx = bit(4) | bit(5) | bit(19);

long set_cpuid_faulting(bool on) { return syscall(SYS_arch_prctl, ARCH_SET_CPUID, on ? 0 : 1); }

void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

void pass_on(int sig, siginfo_t* info, void* context) {
  if (app_segv.sa_flags & SA_SIGINFO) {
    app_segv.sa_sigaction(sig, info, context);
  } else if (app_segv.sa_handler != SIG_DFL && app_segv.sa_handler != SIG_IGN) {
    app_segv.sa_handler(sig);
  } else {
    // As without us: the faulting instruction runs again under the default action.
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    real_sigaction(SIGSEGV, &dfl, nullptr);
  }
}

void on_segv(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  greg_t* g = uc->uc_mcontext.gregs;
  const auto* ip = reinterpret_cast<const uint8_t*>(g[REG_RIP]);
  // CPUID faulting raises SIGSEGV with si_code SI_KERNEL at the instruction (0F A2) itself.
  if (info->si_code != SI_KERNEL || ip[0] != 0x0f || ip[1] != 0xa2) return pass_on(sig, info, context);
  const uint32_t leaf = static_cast<uint32_t>(g[REG_RAX]), sub = static_cast<uint32_t>(g[REG_RCX]);
  uint32_t r[4];
  // Faulting is per thread: off for this one instruction of this thread (raw syscalls, async-signal-safe).
  set_cpuid_faulting(false);
  cpuid(leaf, sub, r);
  set_cpuid_faulting(true);
  if (leaf == 7 && sub == 0) {
    r[1] &= ~kLeaf7Ebx;
    r[2] &= ~kLeaf7Ecx;
    r[3] &= ~kLeaf7Edx;
  } else if (leaf == 7 && sub == 1) {
    r[0] &= ~kLeaf7s1Eax;
    r[3] &= ~kLeaf7s1Edx;
  }
  g[REG_RAX] = r[0];
  g[REG_RBX] = r[1];
  g[REG_RCX] = r[2];
  g[REG_RDX] = r[3];
  g[REG_RIP] += 2;
}

SigactionFn next_sigaction() {
  if (!real_sigaction) real_sigaction = reinterpret_cast<SigactionFn>(dlsym(RTLD_NEXT, "sigaction"));
  return real_sigaction;
}

__attribute__((constructor)) void install() {
  next_sigaction();
  std::memset(&app_segv, 0, sizeof app_segv);
  app_segv.sa_handler = SIG_DFL;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  // Threads and fork()ed children inherit faulting; execve() clears it, and the new program,
  // inheriting LD_PRELOAD, loads this library again.
  if (!real_sigaction || real_sigaction(SIGSEGV, &sa, nullptr) != 0 || set_cpuid_faulting(true) != 0) {
    std::fprintf(stderr,
                 "attendseg cpuid avx2 view: CPUID faulting is not available here (arch_prctl ARCH_SET_CPUID: %s); "
                 "the CPU cannot be shown as AVX2-only\n",
                 std::strerror(errno));
    _exit(77);
  }
}

}  // namespace

extern "C" {

// Marker: the view is loaded in this process.
__attribute__((visibility("default"))) int attendseg_cpuid_avx2_view = 1;

__attribute__((visibility("default"))) int sigaction(int sig, const struct sigaction* act,
                                                     struct sigaction* old) noexcept {
  if (!next_sigaction()) {
    errno = ENOSYS;
    return -1;
  }
  if (sig != SIGSEGV) return real_sigaction(sig, act, old);
  if (old) *old = app_segv;
  if (act) app_segv = *act;
  return 0;
}

__attribute__((visibility("default"))) sighandler_t signal(int sig, sighandler_t handler) noexcept {
  struct sigaction act, old;
  std::memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  act.sa_flags = SA_RESTART;
  sigemptyset(&act.sa_mask);
  return sigaction(sig, &act, &old) == 0 ? old.sa_handler : SIG_ERR;
}

}  // extern "C"
