// A full garbage collection on demand, without starting node with --expose-gc: the bench calls it
// before each timed block, so that no contender's runs share the cores with V8's concurrent
// marking of the previous block's garbage (ONNX Runtime's outputs: 7.6 MB of floats a run at
// 480x360; V8's helper threads then took a core's worth of CPU through our 2-thread runs).
import * as v8 from 'v8';
import * as vm from 'vm';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

export function fullGc(): void {
  gc();
}
