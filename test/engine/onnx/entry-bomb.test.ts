// Files that are small on disk but decode into tens of millions of objects: refused with a
// ModelImportError before decoding, instead of a V8 heap abort. Run in a child process, so an
// abort fails the test instead of killing the runner.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const SCRIPT = `
const { importOnnx, ModelImportError } = require(${JSON.stringify(path.join(ROOT, 'src', 'engine', 'onnx'))});
function varint(n) { const out = []; while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128); } out.push(n); return out; }
function model(graphBody) {                        // ModelProto { graph (7) }
  return Buffer.concat([Buffer.from([0x3a, ...varint(graphBody.length)]), graphBody]);
}
const cases = {
  // 30 million empty NodeProto entries (GraphProto.node = 1): 60 MB
  nodes: model(Buffer.alloc(60_000_000).fill(Buffer.from([0x0a, 0x00]))),
  // one initializer whose packed int64_data (7) holds 120 million one-byte varints
  numbers: (() => {
    const data = Buffer.alloc(120_000_000, 1);
    const tensor = Buffer.concat([Buffer.from([0x3a, ...varint(data.length)]), data]);
    return model(Buffer.concat([Buffer.from([0x2a, ...varint(tensor.length)]), tensor]));
  })(),
};
const out = {};
for (const [name, bytes] of Object.entries(cases)) {
  const t0 = Date.now();
  try { importOnnx(bytes); out[name] = 'accepted'; }
  catch (e) { out[name] = (e instanceof ModelImportError ? 'ModelImportError: ' : 'other: ') + e.message; }
  out[name + '_ms'] = Date.now() - t0;
}
console.log(JSON.stringify(out));
`;

describe('ONNX import: entry bombs', () => {
  it('refuses many tiny entries before decoding them', function () {
    this.timeout(120000);
    const r = spawnSync(process.execPath, ['--max-old-space-size=1024', '-r', 'tsx/cjs', '-e', SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr.slice(-500)}`);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string>;
    assert.match(out.nodes, /^ModelImportError: model: more than 2000000 protobuf entries/);
    assert.match(out.numbers, /^ModelImportError: model: more than \d+ tensor or attribute values/);
  });
});
