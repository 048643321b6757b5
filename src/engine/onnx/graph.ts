// Graph indexing: producer/consumer maps, constants, validation of names, topological order,
// cycle detection and dead-node pruning.
import { onnx } from 'onnx-proto';
import { attrFloat, attrInt, attrInts, attrTensor, hasAttr } from './attrs';
import { ModelImportError, nodeError, tensorError } from './errors';
import { LIMITS } from './load';
import { ConstTensor, decodeDims, decodeTensor, numElements } from './tensors';

export type Node = onnx.INodeProto;

export class Graph {
  /** Live nodes (those the output depends on) in topological order. */
  readonly nodes: Node[] = [];
  readonly producer = new Map<string, Node>();
  readonly consumers = new Map<string, Node[]>();
  readonly initializers = new Map<string, onnx.ITensorProto>();
  readonly inputName: string;
  readonly inputInfo: onnx.IValueInfoProto;
  readonly outputName: string;
  private readonly constCache = new Map<string, ConstTensor>();

  constructor(graph: onnx.IGraphProto) {
    const all = graph.node ?? [];
    let weightElements = 0;
    for (const t of graph.initializer ?? []) {
      const name = t.name ?? '';
      if (!name) throw new ModelImportError('tensor \'\': an initializer has no name');
      if (this.initializers.has(name)) throw tensorError(name, 'duplicate initializer name');
      weightElements += numElements(decodeDims(t, name));
      if (weightElements > LIMITS.maxInitializerElements) {
        throw tensorError(name, `total initializer size exceeds ${LIMITS.maxInitializerElements} elements`);
      }
      this.initializers.set(name, t);
    }

    const realInputs = (graph.input ?? []).filter((i) => !this.initializers.has(i.name ?? ''));
    if (realInputs.length !== 1) {
      throw new ModelImportError(`model: expected exactly one graph input, found ${realInputs.length} (${realInputs.map((i) => i.name).join(', ')})`);
    }
    this.inputInfo = realInputs[0];
    this.inputName = realInputs[0].name ?? '';
    if (!this.inputName) throw new ModelImportError('model: the graph input has no name');
    const outputs = graph.output ?? [];
    if (outputs.length !== 1) {
      throw new ModelImportError(`model: expected exactly one graph output, found ${outputs.length} (${outputs.map((o) => o.name).join(', ')})`);
    }
    this.outputName = outputs[0].name ?? '';
    if (!this.outputName) throw new ModelImportError('model: the graph output has no name');

    // Name every node so that messages can always point at one.
    all.forEach((n, i) => {
      if (!n.name) n.name = `${n.opType || 'node'}_${i}${n.output?.[0] ? `(${n.output[0]})` : ''}`;
    });

    for (const n of all) {
      if (!n.opType) throw nodeError(n, 'empty op_type');
      if ((n.output ?? []).length === 0) throw nodeError(n, 'node has no outputs');
      if ((n.input ?? []).length > 1024 || (n.output ?? []).length > 16) throw nodeError(n, 'too many inputs or outputs');
      for (const o of n.output ?? []) {
        if (!o) continue;
        if (this.producer.has(o)) throw nodeError(n, `output '${o}' is also produced by ${this.producer.get(o)!.name}`);
        if (this.initializers.has(o) || o === this.inputName) throw nodeError(n, `output '${o}' clashes with a graph input or initializer`);
        this.producer.set(o, n);
      }
    }
    for (const n of all) {
      for (const i of n.input ?? []) {
        if (!i) continue;
        if (!this.producer.has(i) && !this.initializers.has(i) && i !== this.inputName) {
          throw nodeError(n, `input '${i}' is not produced by any node, initializer or graph input`);
        }
      }
    }
    if (!this.producer.has(this.outputName) && this.outputName !== this.inputName) {
      throw tensorError(this.outputName, 'the graph output is not produced by any node');
    }

    const order = topoOrder(all, this.producer);
    // Dead-node pruning: keep what the output depends on.
    const live = new Set<Node>();
    const stack = [this.outputName];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const p = this.producer.get(name);
      if (!p || live.has(p)) continue;
      live.add(p);
      for (const i of p.input ?? []) if (i) stack.push(i);
    }
    for (const n of order) {
      if (!live.has(n)) continue;
      this.nodes.push(n);
      for (const i of n.input ?? []) {
        if (!i) continue;
        let list = this.consumers.get(i);
        if (!list) this.consumers.set(i, (list = []));
        list.push(n);
      }
    }
  }

  /** Live consumers of a tensor (the graph output counts as a consumer named by `isGraphOutput`). */
  consumersOf(name: string): Node[] {
    return this.consumers.get(name) ?? [];
  }

  isConst(name: string): boolean {
    if (this.initializers.has(name)) return true;
    const p = this.producer.get(name);
    return p?.opType === 'Constant';
  }

  /** Decoded initializer or Constant-node value; undefined for anything computed. */
  getConst(name: string): ConstTensor | undefined {
    const cached = this.constCache.get(name);
    if (cached) return cached;
    let t: ConstTensor | undefined;
    const init = this.initializers.get(name);
    if (init) t = decodeTensor(init, name);
    else {
      const p = this.producer.get(name);
      if (p?.opType === 'Constant') t = constantNodeValue(p, name);
    }
    if (t) this.constCache.set(name, t);
    return t;
  }
}

function constantNodeValue(node: Node, name: string): ConstTensor {
  const t = attrTensor(node, 'value');
  if (t) return { ...decodeTensor(t, name), name };
  if (hasAttr(node, 'value_float')) return { name, dtype: 'float', dims: [], data: Float32Array.of(attrFloat(node, 'value_float', 0)) };
  if (hasAttr(node, 'value_int')) return { name, dtype: 'int64', dims: [], data: Float64Array.of(attrInt(node, 'value_int', 0)) };
  const ints = attrInts(node, 'value_ints');
  if (ints) return { name, dtype: 'int64', dims: [ints.length], data: Float64Array.from(ints) };
  const floats = (node.attribute ?? []).find((a) => a.name === 'value_floats');
  if (floats) {
    const f = (floats.floats ?? []).slice(0, LIMITS.maxTensorElements);
    return { name, dtype: 'float', dims: [f.length], data: Float32Array.from(f) };
  }
  throw nodeError(node, 'Constant without a supported value attribute');
}

/** Kahn's algorithm over every node; a cycle is an error naming one node on it. */
function topoOrder(nodes: Node[], producer: Map<string, Node>): Node[] {
  const index = new Map<Node, number>();
  nodes.forEach((n, i) => index.set(n, i));
  const indeg = new Int32Array(nodes.length);
  const users: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const deps = new Set<number>();
    for (const inp of n.input ?? []) {
      const p = inp ? producer.get(inp) : undefined;
      if (p) deps.add(index.get(p)!);
    }
    for (const d of deps) {
      users[d].push(i);
      indeg[i]++;
    }
  });
  const queue: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (indeg[i] === 0) queue.push(i);
  const out: Node[] = [];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    out.push(nodes[i]);
    for (const u of users[i]) if (--indeg[u] === 0) queue.push(u);
  }
  if (out.length !== nodes.length) {
    const stuck = nodes.find((_, i) => indeg[i] > 0)!;
    throw nodeError(stuck, 'the graph has a cycle through this node');
  }
  return out;
}
