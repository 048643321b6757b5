// Frames a command skipped because they could not be decoded: the first few reasons as warnings,
// the count in the summary line, and --strict, which turns any such frame into a failed run.
import { Option } from 'commander';

/** Skipped frames listed one per line; the rest only counted. */
const MAX_LISTED = 10;

export const strictOption = (): Option =>
  new Option('--strict', 'exit non-zero when any frame could not be decoded (such frames are skipped either way)');

/** Warns with the first reasons and how many more there were. */
export function warnRejected(rejected: readonly string[]): void {
  for (const s of rejected.slice(0, MAX_LISTED)) console.warn(`warning: frame skipped: ${s}`);
  if (rejected.length > MAX_LISTED) console.warn(`warning: ... and ${rejected.length - MAX_LISTED} more frames skipped`);
}

/** '; N undecodable frames skipped' for a summary line, or '' when none were. */
export function rejectedSuffix(rejected: readonly string[]): string {
  const n = rejected.length;
  return n ? `; ${n} undecodable frame${n === 1 ? '' : 's'} skipped` : '';
}

/** Under --strict, any skipped frame fails the run (after its results were written). */
export function checkStrict(strict: boolean | undefined, rejected: readonly string[], processed: number): void {
  if (strict && rejected.length) {
    throw new Error(`--strict: ${rejected.length} of ${processed + rejected.length} frames could not be decoded`);
  }
}
