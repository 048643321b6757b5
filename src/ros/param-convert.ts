// Parameters between the node's table and rclnodejs: type ids, values (rclnodejs holds integers
// as bigint), descriptor fields.
import type { ParamAssignment, ParamSpec, ParamType, ParamValue } from '../pipeline/params';

/** rcl_interfaces/msg/ParameterType values. */
export const PARAMETER_TYPE: Record<ParamType, number> = { bool: 1, integer: 2, double: 3, string: 4, string_array: 9 };
const TYPE_NAME = new Map(Object.entries(PARAMETER_TYPE).map(([k, v]) => [v, k]));

/** Our name for an rclnodejs type id, or a description of a type the node never declares. */
export function typeName(id: number): ParamType | string {
  return TYPE_NAME.get(id) ?? `type ${id} (bytes and arrays other than of strings are not parameters of this node)`;
}

export function toAssignment(p: { name: string; type: number; value: unknown }): ParamAssignment {
  // rclnodejs hands string arrays over as arrays (possibly typed); integers as bigint
  const value = typeof p.value === 'bigint' ? Number(p.value) : Array.isArray(p.value) ? [...(p.value as unknown[])] : p.value;
  return { name: p.name, type: typeName(p.type) as ParamType, value: value as ParamValue };
}

/** The value as rclnodejs's Parameter constructor takes it. */
export function toRclValue(spec: ParamSpec, value: ParamValue): ParamValue | bigint {
  return spec.type === 'integer' ? BigInt(value as number) : value;
}

/** `ros2 param describe` shows this; it also carries the range (see ros-parameters.ts). */
export function constraintsText(spec: ParamSpec): string {
  if (spec.range) return `${spec.range.from}..${spec.range.to}`;
  if (spec.choices) return `one of: ${spec.choices.join(', ')}`;
  return '';
}
