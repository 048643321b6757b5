// A progress bar on stderr while a command works through frames; silent when stderr is not a
// terminal, so logs and pipes stay clean.
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(what: string): Progress {
  const bar = new SingleBar({
    format: `${what} [{bar}] {value}/{total} frames | {fps} fps | eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: false,
  });
  const start = Date.now();
  let started = false;
  return {
    update(done, total) {
      const fps = ((done * 1000) / Math.max(1, Date.now() - start)).toFixed(1);
      if (!started) {
        bar.start(Math.max(total, done), done, { fps });
        started = true;
      } else {
        if (total > bar.getTotal()) bar.setTotal(total);
        bar.update(done, { fps });
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
