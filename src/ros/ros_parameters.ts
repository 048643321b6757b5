// Declares the node's parameters on an rclnodejs node: descriptors with ranges, read-only flags
// and constraint text, and one set-parameters callback that vets (with reasons) and applies.
import type { ParamSpec, ParamValue } from '../pipeline/params';
import type { Logger, SetParametersHandler } from '../pipeline/transport';
import type { Rclnodejs } from './load_rclnodejs';
import { constraintsText, PARAMETER_TYPE, toAssignment, toRclValue } from './param_convert';
import type * as Rcl from './rclnodejs_api';

/** The parameter classes of rclnodejs (plain JavaScript in its lib/parameter.js). */
export type ParameterClasses = Pick<Rclnodejs, 'Parameter' | 'ParameterDescriptor' | 'IntegerRange' | 'FloatingPointRange'>;

function descriptorClass(rcl: ParameterClasses) {
  // rclnodejs checks each value against its descriptor before the callbacks run, and on failure
  // answers "Parameter <name> does not  readonly", dropping the reason. The node's callback checks
  // type, range and choices itself and says why, so the descriptor's own check is skipped. (Its
  // read-only check is separate and stays.)
  return class ReasonedDescriptor extends rcl.ParameterDescriptor {
    override validateParameter(): void {}
  };
}

function range(rcl: ParameterClasses, spec: ParamSpec): Rcl.Range | undefined {
  if (!spec.range) return undefined;
  if (spec.type === 'integer') return new rcl.IntegerRange(BigInt(spec.range.from), BigInt(spec.range.to), 1n);
  // step 0: any value in range (rclnodejs's default step for doubles is 1)
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
      d.additionalConstraints = constraintsText(s);
      return d;
    }),
  };
}

export function declareRosParameters(
  rcl: Rclnodejs,
  node: Rcl.Node,
  specs: readonly ParamSpec[],
  onSet: SetParametersHandler,
  log: Logger,
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
  // start-up values (-p, params files) replace the defaults here and go through the callback
  node.declareParameters(parameters, descriptors);
  declaring = false;

  for (const o of node.getParameterOverrides())
    if (!ours.has(o.name) && !node.hasParameter(o.name))
      log.warn(`parameter override '${o.name}' names no parameter of this node; ignored`);
  return Object.fromEntries(node.getParameters(specs.map((s) => s.name)).map((p) => [p.name, toAssignment(p).value]));
}
