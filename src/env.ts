// The environment variables the package reads, all of them, read and checked here only. A value
// that cannot be used is an error naming the variable; an unset or empty one is absent.
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
