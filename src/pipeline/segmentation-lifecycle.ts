// The segmentation node as a managed (lifecycle) node, over any Transport: the states and
// transitions of ROS 2's node lifecycle (design article "Managed nodes"), as rclcpp's
// LifecycleNode runs them. src/ros maps rclnodejs's LifecycleNode callbacks onto this class.
//   unconfigured --configure--> inactive: model loaded, outputs advertised, nothing published
//   inactive --activate--> active: ~/label_info published, input subscribed while wanted
//   active --deactivate--> inactive: input closed, nothing published
//   inactive --cleanup--> unconfigured: model, publishers and timers released
//   any --shutdown--> finalized; an error in a transition --recover--> unconfigured
import { ParamAssignment, PARAMS, ParamValue, vetParameters } from './params';
import { SegmentationNode, SegmentationNodeOptions } from './segmentation-node';
import type { Transport } from './transport';

export type LifecycleState = 'unconfigured' | 'inactive' | 'active' | 'finalized';
export type LifecycleTransition = 'configure' | 'activate' | 'deactivate' | 'cleanup' | 'shutdown';

export type TransitionResult = { ok: true } | { ok: false; reason: string };

const FROM: Record<LifecycleTransition, readonly LifecycleState[]> = {
  configure: ['unconfigured'],
  activate: ['inactive'],
  deactivate: ['active'],
  cleanup: ['inactive'],
  shutdown: ['unconfigured', 'inactive', 'active'],
};

export class SegmentationLifecycle {
  private current: LifecycleState = 'unconfigured';
  private node: SegmentationNode | null = null;
  private readonly values: Record<string, ParamValue>;
  private releasing: Promise<void> = Promise.resolve();

  /** Declares the parameters (as rclcpp nodes do in their constructor); loads nothing. */
  constructor(
    readonly transport: Transport,
    private readonly options: SegmentationNodeOptions = {},
  ) {
    let declared = false;
    this.values = transport.declareParameters(PARAMS, (changes, declaring) => {
      // unconfigured, every parameter may change (a bad model_path is fixed, then configure retried)
      const r = vetParameters(changes, declaring || !this.node);
      if (r.successful && declared) this.accept(changes);
      return r;
    });
    declared = true;
  }

  get state(): LifecycleState {
    return this.current;
  }

  /** The configured node (null while unconfigured or finalized). */
  get segmentation(): SegmentationNode | null {
    return this.node;
  }

  /** Resolves once what the last cleanup or shutdown released has been released. */
  released(): Promise<void> {
    return this.releasing;
  }

  configure(): TransitionResult {
    return this.transition('configure', () => {
      try {
        this.node = SegmentationNode.configure(this.transport, this.values, this.options);
      } catch (e) {
        return `configure failed: ${(e as Error).message}`;
      }
      return 'inactive';
    });
  }

  activate(): TransitionResult {
    return this.transition('activate', () => (this.node!.activate(), 'active'));
  }

  deactivate(): TransitionResult {
    return this.transition('deactivate', () => (this.node!.deactivate(), 'inactive'));
  }

  cleanup(): TransitionResult {
    return this.transition('cleanup', () => (this.release(), 'unconfigured'));
  }

  shutdown(): TransitionResult {
    return this.transition('shutdown', () => (this.release(), 'finalized'));
  }

  /** rcl's ErrorProcessing (a transition callback threw): releases everything and returns to unconfigured. */
  recover(): TransitionResult {
    if (this.current === 'finalized') return { ok: false, reason: 'cannot recover from the finalized state' };
    this.release();
    this.transport.log.warn(`error processing: ${this.current} -> unconfigured`);
    this.current = 'unconfigured';
    return { ok: true };
  }

  // `run` returns the state reached, or the reason the transition failed (the state then stays).
  private transition(name: LifecycleTransition, run: () => LifecycleState | string): TransitionResult {
    if (!FROM[name].includes(this.current)) {
      const reason = `cannot ${name} from the ${this.current} state`;
      this.transport.log.warn(reason);
      return { ok: false, reason };
    }
    const next = run();
    if (next === 'unconfigured' || next === 'inactive' || next === 'active' || next === 'finalized') {
      this.transport.log.info(`${name}: ${this.current} -> ${next}`);
      this.current = next;
      return { ok: true };
    }
    this.transport.log.error(next);
    return { ok: false, reason: next };
  }

  private release(): void {
    const node = this.node;
    this.node = null;
    if (node) this.releasing = node.release();
  }

  private accept(changes: ParamAssignment[]): void {
    for (const c of changes) this.values[c.name] = c.value;
    this.node?.apply(changes);
  }
}
