// The environment variables the package reads, all of them, read and checked here only. A value
// that cannot be used is an error naming the variable; an unset or empty one is absent.
//
// The native library reads its own tuning and diagnosis variables, with the same rules, in one
// place (native/src/env_settings.h, where each is described), when the first engine is created:
//   ATTENDSEG_ISA=auto|scalar|avx2|avxvnni|avx512vnni|neon|neon_dotprod  the kernel table (default auto)
//   ATTENDSEG_WINOGRAD=4x4|2x2|0        Winograd convolutions offered (default 4x4: both sizes)
//   ATTENDSEG_CONV_PATHS=timed|static   time each conv's candidate paths per input size (default timed)
//   ATTENDSEG_PIN_THREADS=0|1           pin each worker thread to its own CPU (default 0)
//   ATTENDSEG_PROFILE=0|1               per-op times printed to stderr at exit (default 0)
//   ATTENDSEG_AVX2_MADDUBS=1|0          0: no vpmaddubsw GEMM on AVX2, for A/B measurements (default 1)
export interface Environment {
  /** ROS_DISTRO: the sourced ROS 2 distribution, recorded in bag metadata. */
  rosDistro?: string;
  /** AMENT_PREFIX_PATH: set by a sourced ROS 2 installation. */
  amentPrefixPath?: string;
  /** ATTENDSEG_ADDON: the compiled addon to load instead of the package's build folder. */
  addonPath?: string;
}

function value(env: NodeJS.ProcessEnv, name: string, pattern: RegExp, expected: string): string | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!pattern.test(v)) throw new Error(`environment variable ${name}=${JSON.stringify(v.slice(0, 80))} is not ${expected}`);
  return v;
}

/** The package's environment variables, from `env` (default: this process's). */
export function environment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    rosDistro: value(env, 'ROS_DISTRO', /^[a-z][a-z0-9_-]{0,31}$/, 'a ROS 2 distribution name (e.g. jazzy)'),
    // Paths: any text without control characters (they would end up in messages and YAML).
    amentPrefixPath: value(env, 'AMENT_PREFIX_PATH', /^[^\x00-\x1f\x7f]+$/, 'a list of paths'),
    addonPath: value(env, 'ATTENDSEG_ADDON', /^[^\x00-\x1f\x7f]+$/, 'a file path'),
  };
}
