// Throttled logging: a camera sending bad frames at 30 Hz must not flood the log.
export class Throttle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly periodMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Calls `emit` at most once per period per key, telling it how many calls were held back. */
  run(key: string, emit: (suppressed: number) => void): void {
    const now = this.clock();
    const s = this.last.get(key);
    if (s && now - s.at < this.periodMs) {
      s.suppressed++;
      return;
    }
    emit(s?.suppressed ?? 0);
    this.last.set(key, { at: now, suppressed: 0 });
  }
}
