// Declares the node's parameters on an rclnodejs node: descriptors with ranges, read-only flags
// and constraint text, and one set-parameters callback that vets (with reasons) and applies.
import type { ParamSpec, ParamValue } from '../pipeline/params';
import type { Logger, SetParametersHandler } from '../pipeline/transport';
import type { Rclnodejs } from './load-rclnodejs';
import { constraintsText, PARAMETER_TYPE, toAssignment, toRclValue } from './param-convert';
import type * as Rcl from './rclnodejs-api';
import type { StartupParameter } from './startup-parameters';

/** The parameter classes of rclnodejs (plain JavaScript in its lib/parameter.js). */
export type ParameterClasses = Pick<Rclnodejs, 'Parameter' | 'ParameterDescriptor' | 'IntegerRange' | 'FloatingPointRange'>;

/** rcl_interfaces IntegerRange / FloatingPointRange fields of a descriptor message. */
export function rangeMessage(spec: ParamSpec): Record<string, unknown> {
  if (!spec.range) return {};
  if (spec.type === 'integer')
    return { integer_range: [{ from_value: BigInt(spec.range.from), to_value: BigInt(spec.range.to), step: 1n }] };
  // step 0: any value in range
  return { floating_point_range: [{ from_value: spec.range.from, to_value: spec.range.to, step: 0 }] };
}

function descriptorClass(rcl: ParameterClasses) {
  return class ReasonedDescriptor extends rcl.ParameterDescriptor {
    spec: ParamSpec | null = null;

    // rclnodejs checks each value against its descriptor before the callbacks run, and on failure
    // answers "Parameter <name> does not  readonly", dropping the reason. The node's callback
    // checks type, range and choices itself and says why, so the descriptor's own check is
    // skipped. (Its read-only check is separate and stays.)
    override validateParameter(): void {}

    // rclnodejs 2.2's toMessage reads a field it never sets and so sends no range: ranges showed
    // only as text, and rqt_reconfigure had no Min/Max
    override toMessage(): object {
      return { ...super.toMessage(), ...(this.spec ? rangeMessage(this.spec) : {}) };
    }
  };
}

function range(rcl: ParameterClasses, spec: ParamSpec): Rcl.Range | undefined {
  if (!spec.range) return undefined;
  if (spec.type === 'integer') return new rcl.IntegerRange(BigInt(spec.range.from), BigInt(spec.range.to), 1n);
  return new rcl.FloatingPointRange(spec.range.from, spec.range.to, 0);
}

/** Parameters at their defaults and their descriptors, in the order of `specs`. */
export function rosParameterDeclarations(
  rcl: ParameterClasses,
  specs: readonly ParamSpec[],
): { parameters: Rcl.Parameter[]; descriptors: Rcl.ParameterDescriptor[] } {
  const Descriptor = descriptorClass(rcl);
  return {
    parameters: specs.map((s) => new rcl.Parameter(s.name, PARAMETER_TYPE[s.type], toRclValue(s, s.default))),
    descriptors: specs.map((s) => {
      const d = new Descriptor(s.name, PARAMETER_TYPE[s.type], s.description, !s.dynamic, range(rcl, s));
      d.spec = s;
      d.additionalConstraints = constraintsText(s);
      return d;
    }),
  };
}

/**
 * The parameter as rclnodejs takes it at declaration. An array is a string array where every
 * element is a string (an empty one, which has no element type in YAML, where the parameter is
 * declared as one); other arrays are refused, naming their source.
 */
export function startupValue(rcl: ParameterClasses, p: StartupParameter, spec?: ParamSpec): Rcl.Parameter {
  if (p.type === 'array') {
    const items = p.value as unknown[];
    const strings = items.every((v) => typeof v === 'string');
    if (!strings || (items.length === 0 && spec?.type !== 'string_array'))
      throw new Error(`${p.source}: ${p.name} is ${describeArray(items)}; the only array parameter of this node is a list of strings`);
    return new rcl.Parameter(p.name, PARAMETER_TYPE.string_array, items);
  }
  const value = p.type === 'integer' ? BigInt(p.value as number) : p.value;
  return new rcl.Parameter(p.name, PARAMETER_TYPE[p.type], value);
}

function describeArray(items: unknown[]): string {
  if (items.length === 0) return 'an empty array';
  const other = items.find((v) => typeof v !== 'string');
  return `an array holding ${typeof other === 'object' ? 'a nested value' : `the ${typeof other === "bigint" ? "integer" : typeof other} ${String(other)}`}`;
}

/**
 * Declares `specs` with their start-up values from `startup` (see startup-parameters.ts; it
 * replaces rclnodejs's own overrides, which miss sections keyed by the full node name).
 */
export function declareRosParameters(
  rcl: Rclnodejs,
  node: Rcl.Node,
  specs: readonly ParamSpec[],
  onSet: SetParametersHandler,
  log: Logger,
  startup: ReadonlyMap<string, StartupParameter>,
): Record<string, ParamValue> {
  let declaring = true;
  const ours = new Set(specs.map((s) => s.name));
  node.addOnSetParametersCallback((params) => {
    // parameters rclnodejs declares itself (use_sim_time) are its business
    const mine = params.filter((p) => ours.has(p.name));
    if (mine.length === 0) return { successful: true, reason: '' };
    const r = onSet(mine.map(toAssignment), declaring);
    return { successful: r.successful, reason: r.reason };
  });
  const { parameters, descriptors } = rosParameterDeclarations(rcl, specs);
  const initial = parameters.map((p, i) => {
    const s = startup.get(p.name);
    return s ? startupValue(rcl, s, specs[i]) : p;
  });
  // the start-up values go through the callback, which refuses a bad one with the reason
  node.declareParameters(initial, descriptors, true);
  declaring = false;

  for (const s of startup.values()) {
    if (ours.has(s.name)) continue;
    // rclnodejs's own parameters (use_sim_time) from a section it did not read
    if (node.hasParameter(s.name)) {
      const r = node.setParameters([startupValue(rcl, s)])[0];
      if (!r.successful) log.warn(`${s.source}: ${s.name}: ${r.reason}`);
    } else log.warn(`parameter '${s.name}' (${s.source}) names no parameter of this node; ignored`);
  }
  return Object.fromEntries(node.getParameters(specs.map((s) => s.name)).map((p) => [p.name, toAssignment(p).value]));
}
