// Parsing and checking of command-line values, with errors that name the option.
import * as path from 'path';

import { defaultModelPath } from '../engine/default-model';
import { Option } from 'commander';

import { Engine, EngineOptions } from '../engine/engine';
import { loadAddon } from '../engine/native';
import { paramDefault } from '../pipeline/params';

export function int(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) throw new Error(`${option} '${v}' is not an integer`);
    const n = Number(v);
    if (n < min || n > max) throw new Error(`${option} ${n} is outside ${min}..${max === Number.MAX_SAFE_INTEGER ? '' : max}`);
    return n;
  };
}

/** A decimal number written out in full ('' and '0x10' are not numbers), within [min, max]. */
export function numberIn(option: string, min: number, max: number, what = 'a number') {
  return (v: string): number => {
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new Error(`${option} '${v}' is not ${what}`);
    if (n < min || n > max) throw new Error(`${option} ${v.trim()} is outside ${min}..${max}`);
    return n;
  };
}

/** A positive number up to `max` (at least `min`, which is above 0). */
export function positiveNumber(option: string, min: number, max: number) {
  return numberIn(option, min, max, 'a positive number');
}

/** The overlay's class-colour weight. */
export const alpha = (option: string) => numberIn(option, 0, 1);

/** WIDTHxHEIGHT, each side within the engine's image limit. */
export function size(option: string) {
  return (v: string): [number, number] => {
    const m = /^(\d+)x(\d+)$/.exec(v.trim());
    if (!m) throw new Error(`${option} '${v}' is not WIDTHxHEIGHT`);
    const side = loadAddon().maxImageSide;
    const [w, h] = [Number(m[1]), Number(m[2])];
    if (w < 1 || h < 1 || w > side || h > side) throw new Error(`${option} ${w}x${h} is outside 1..${side} a side`);
    return [w, h];
  };
}

/** '--ignore 11' or '--ignore none'. */
export function ignoreIndex(v: string): number | null {
  if (v.trim().toLowerCase() === 'none') return null;
  return int('--ignore', 0, 255)(v);
}

export function choice<T extends string>(option: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`${option} '${v}' is not one of ${allowed.join(', ')}`);
    return v as T;
  };
}

export function list<T extends string>(option: string, allowed: readonly T[]) {
  return (v: string): T[] => v.split(',').map((x) => choice(option, allowed)(x.trim()));
}

export const MODEL_HELP = 'ONNX QDQ model (default: the shipped models/attendseg_camvid.onnx)';

/** The model given, else the shipped default (an error naming its path when it is missing). */
export function modelPath(given: string | undefined): string {
  return given ? path.resolve(given) : defaultModelPath();
}

/** The engine's flags, with the node's parameter defaults (pipeline/params.ts). */
export interface EngineFlags {
  threads: number;
  maxActivationMb: number;
}

export const threadsOption = (): Option =>
  new Option('--threads <n>', 'engine threads (0: all cores)')
    .argParser(int('--threads', 0, 256))
    .default(paramDefault<number>('threads'));

export const maxActivationOption = (): Option =>
  new Option('--max-activation-mb <n>', 'activation memory one network size may plan, in MiB (0: no limit)')
    .argParser(int('--max-activation-mb', 0, 1 << 20))
    .default(paramDefault<number>('max_activation_mb'));

/** The engine, and --size (when given) checked against the model once, before any frame. */
export function loadEngine(given: string | undefined, flags: EngineFlags & { size?: [number, number] }): { engine: Engine; path: string } {
  const p = modelPath(given);
  const options: EngineOptions = { threads: flags.threads, maxActivationMb: flags.maxActivationMb };
  const engine = Engine.fromFile(p, options);
  if (flags.size) {
    const [w, h] = flags.size;
    try {
      engine.macs(h, w); // shape inference over the whole network at this size
    } catch (e) {
      throw new Error(`--size ${w}x${h}: ${(e as Error).message}`);
    }
  }
  return { engine, path: p };
}
