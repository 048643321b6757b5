// Start-up parameter values from the command line, read the way rcl reads them: every
// `--params-file` and `-p` of the --ros-args sections, in order, later ones winning. rclnodejs 2.2
// applies only params-file sections keyed `/**` or by the bare node name, and silently drops the
// ones keyed by the full name (`/ns/attendseg:`, what `ros2 param dump` writes and what launch_ros
// writes for a dict given to Node()) and the wildcard ones (`/**/attendseg:`, `/ns/*:`), so the
// node reads them itself.
import * as fs from 'fs';

import { isMap, isScalar, isSeq, Node as YamlNode, parseDocument, Scalar } from 'yaml';

import type { ParamValue } from '../pipeline/params';

export interface StartupParameter {
  name: string;
  /** rcl's type of the value: bool, integer, double, string, or array (a parameter only as a list of strings). */
  type: 'bool' | 'integer' | 'double' | 'string' | 'array';
  value: ParamValue | unknown[];
  /** Where it came from, for messages: `file.yaml (/ns/attendseg)` or `-p name:=value`. */
  source: string;
}

const PARAMS_KEY = 'ros__parameters';

/** The `--params-file` and `-p` arguments of the --ros-args sections of `argv`, in order. */
export function parameterArguments(argv: readonly string[]): { kind: 'file' | 'param'; arg: string }[] {
  const found: { kind: 'file' | 'param'; arg: string }[] = [];
  let inRos = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ros-args') inRos = true;
    else if (a === '--') inRos = false;
    else if (inRos && (a === '--params-file' || a === '-p' || a === '--param')) {
      const arg = argv[++i];
      if (arg === undefined) throw new Error(`${a} at the end of the command line has no argument`);
      found.push({ kind: a === '--params-file' ? 'file' : 'param', arg });
    }
  }
  return found;
}

/**
 * Whether a params-file node key (`/**`, `/ns/attendseg`, `attendseg`, `/**\/attendseg`, `/ns/*`)
 * names the node `fqn`: `*` stands for one name token, `**` for any number of them, and a key
 * without a leading slash is taken from the root, as rcl and rclcpp do.
 */
export function nodeKeyMatches(key: string, fqn: string): boolean {
  const pattern = (key.startsWith('/') ? key : `/${key}`).split('/').filter(Boolean);
  const name = fqn.split('/').filter(Boolean);
  const match = (p: number, n: number): boolean => {
    if (p === pattern.length) return n === name.length;
    if (pattern[p] === '**') return match(p + 1, n) || (n < name.length && match(p, n + 1));
    return n < name.length && (pattern[p] === '*' || pattern[p] === name[n]) && match(p + 1, n + 1);
  };
  return match(0, 0);
}

// rcl's typing of a YAML scalar: quoted is a string; otherwise a YAML 1.1 bool, an integer, a
// double, or else a string (the document is parsed as YAML 1.1 with integers as bigint).
function scalarParameter(s: Scalar, name: string, source: string): StartupParameter {
  const v = s.value;
  if (s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' || typeof v === 'string')
    return { name, type: 'string', value: String(v), source };
  if (typeof v === 'boolean') return { name, type: 'bool', value: v, source };
  if (typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`${source}: ${name} = ${v} is too large an integer`);
    return { name, type: 'integer', value: n, source };
  }
  if (typeof v === 'number') return { name, type: 'double', value: v, source };
  throw new Error(`${source}: ${name} has no value`);
}

function valueParameter(node: YamlNode | null, name: string, source: string): StartupParameter {
  if (isScalar(node)) return scalarParameter(node, name, source);
  if (isSeq(node)) return { name, type: 'array', value: node.toJSON() as unknown[], source };
  throw new Error(`${source}: ${name} has no value`);
}

function parseYaml(text: string, what: string) {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true });
  if (doc.errors.length) throw new Error(`${what}: ${doc.errors[0].message.split('\n')[0]}`);
  return doc;
}

/** Every section of a params file as [node key, parameters], in file order. */
export function paramsFileSections(text: string, file: string): { key: string; parameters: StartupParameter[] }[] {
  const doc = parseYaml(text, file);
  const sections: { key: string; parameters: StartupParameter[] }[] = [];
  const flatten = (node: YamlNode | null, prefix: string, source: string, out: StartupParameter[]): void => {
    if (!isMap(node)) throw new Error(`${source}: ${PARAMS_KEY} must be a mapping of parameter names to values`);
    for (const pair of node.items) {
      const name = prefix + String(isScalar(pair.key) ? pair.key.value : pair.key);
      const value = pair.value as YamlNode | null;
      if (isMap(value)) flatten(value, `${name}.`, source, out);
      else out.push(valueParameter(value, name, source));
    }
  };
  // node keys may nest (`ns:` then `attendseg:`) until ros__parameters
  const walk = (node: YamlNode | null, path: string[]): void => {
    if (!isMap(node)) throw new Error(`${file}: ${path.join('/') || 'the top level'} must be a mapping`);
    for (const pair of node.items) {
      const k = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const value = pair.value as YamlNode | null;
      if (k === PARAMS_KEY) {
        const key = path.join('/').replace(/\/+/g, '/');
        const parameters: StartupParameter[] = [];
        flatten(value, '', `${file} (${key})`, parameters);
        sections.push({ key, parameters });
      } else walk(value, [...path, k]);
    }
  };
  if (doc.contents !== null) walk(doc.contents as YamlNode, []);
  return sections;
}

/** `-p [node:]name:=value`: the parameter, or null when it is for another node. */
export function paramArgument(arg: string, fqn: string): StartupParameter | null {
  const at = arg.indexOf(':=');
  if (at < 0) throw new Error(`-p ${arg}: expected name:=value`);
  const lhs = arg.slice(0, at);
  const colon = lhs.lastIndexOf(':');
  const node = colon < 0 ? null : lhs.slice(0, colon);
  const name = colon < 0 ? lhs : lhs.slice(colon + 1);
  if (node !== null && node !== fqn.split('/').pop() && !nodeKeyMatches(node, fqn)) return null;
  const source = `-p ${arg}`;
  const doc = parseYaml(arg.slice(at + 2), source);
  return valueParameter(doc.contents as YamlNode | null, name, source);
}

/**
 * The start-up values for the node `fqn` from `argv` (process.argv), each with its source; the
 * last one of a name wins.
 */
export function startupParameters(
  argv: readonly string[],
  fqn: string,
  readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8'),
): Map<string, StartupParameter> {
  const values = new Map<string, StartupParameter>();
  for (const { kind, arg } of parameterArguments(argv)) {
    if (kind === 'param') {
      const p = paramArgument(arg, fqn);
      if (p) values.set(p.name, p);
      continue;
    }
    let text: string;
    try {
      text = readFile(arg);
    } catch (e) {
      throw new Error(`--params-file ${arg}: ${(e as Error).message}`);
    }
    for (const section of paramsFileSections(text, arg))
      if (nodeKeyMatches(section.key, fqn)) for (const p of section.parameters) values.set(p.name, p);
  }
  return values;
}
