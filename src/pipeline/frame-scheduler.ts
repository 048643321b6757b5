// One engine, one frame in flight, however many cameras: each camera keeps its own newest frame
// waiting (see frame-pipeline.ts), and when the engine is free the next camera in turn that has
// one runs it. Round-robin, not first-come: a camera at 30 fps cannot starve one at 5 fps, and a
// waiting frame runs after at most the frame running when it came and one frame of each other camera.

export interface SchedulerLane {
  /** Starts the lane's waiting frame and returns its run, or null when none is waiting. */
  startWaiting(): Promise<void> | null;
}

export class FrameScheduler {
  private readonly lanes: SchedulerLane[] = [];
  /** The lane asked first next time: the one after the lane served last. */
  private next = 0;
  private running = false;

  add(lane: SchedulerLane): void {
    this.lanes.push(lane);
  }

  get busy(): boolean {
    return this.running;
  }

  /** A lane has a frame waiting: it starts now if the engine is free. */
  wake(): void {
    if (!this.running) this.dispatch();
  }

  private dispatch(): void {
    const n = this.lanes.length;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const run = this.lanes[at].startWaiting();
      if (!run) continue;
      this.next = (at + 1) % n;
      this.running = true;
      void run.then(() => {
        this.running = false;
        this.dispatch();
      });
      return;
    }
  }
}
