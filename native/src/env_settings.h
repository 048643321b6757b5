// The environment variables the native library reads, all of them, read and checked here only
// (the TypeScript side reads its own in src/env.ts). An unset or empty variable takes its
// default; any value not listed is an error naming the variable.
//   ATTENDSEG_ISA           the kernel table wherever the engine's isa option is "" or "auto":
//                           auto (default) or a table name (scalar, avx2, avxvnni, avx512vnni,
//                           neon, neon_dotprod), which select_kernels checks against this build and CPU
//   ATTENDSEG_WINOGRAD      4x4 (default): convs may take F(4x4) or F(2x2); 2x2: F(2x2) only;
//                           0: no Winograd (for diagnosis)
//   ATTENDSEG_CONV_PATHS    timed (default): each conv's candidate paths are timed when a plan is
//                           built and the fastest kept; static: the first candidate, untimed
//   ATTENDSEG_PIN_THREADS   0 (default) or 1: pin each worker thread to its own allowed CPU
//   ATTENDSEG_PROFILE       0 (default) or 1: time every op and print the per-op times to stderr
//                           at exit
//   ATTENDSEG_AVX2_MADDUBS  1 (default) or 0: 0 packs every AVX2 GEMM for vpmaddwd, never
//                           vpmaddubsw (for A/B measurements)
#pragma once
#include <string>

namespace attendseg {

struct EnvSettings {
  std::string isa;  // "" for auto
  int winograd_max_tile = 4;  // 4, 2 or 0
  bool timed_conv_paths = true;
  bool pin_threads = false;
  bool profile = false;
  bool avx2_maddubs = true;
};

// The settings, read on first use and kept; a value that cannot be used throws attendseg::Error
// (and is read again on the next call).
const EnvSettings& env_settings();

// Reads the environment again, for tests that change it; not while another thread may be reading
// the settings. Throws as env_settings() does, keeping the previous settings.
void reload_env_settings();

}  // namespace attendseg
