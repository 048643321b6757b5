// npm run bench -- --cpu avx2: the CPUID view (native/tools/cpuid_avx2_view.cpp) under Node, which
// resets every signal handler at start and installs its own SIGSEGV handler, with the addon and
// ONNX Runtime loaded: both must see an AVX2-only CPU and still run.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { parseCpuView } from '../../bench/cpu-view';

const root = path.resolve(__dirname, '..', '..');
const lib = path.join(root, 'build', 'Release', 'libattendseg_cpuid_avx2_view.so');
const addon = path.join(root, 'build', 'Release', 'attendseg.node');
const model = path.join(root, 'bench', 'models', 'attendseg_bench_qdq.onnx');

// Prints the usable kernel tables, then runs ONNX Runtime once on the bench model.
const childScript = `
const ort = require('onnxruntime-node');
const tables = require(${JSON.stringify(addon)}).kernelTables().filter((t) => t.usable).map((t) => t.name);
(async () => {
  const s = await ort.InferenceSession.create(${JSON.stringify(model)}, { intraOpNumThreads: 1 });
  const x = new ort.Tensor('float32', new Float32Array(3 * 64 * 64), [1, 3, 64, 64]);
  const out = await s.run({ [s.inputNames[0]]: x });
  console.log(JSON.stringify({ tables, outputs: Object.keys(out).length }));
})().catch((e) => { console.error(e); process.exit(3); });
`;

function runChild(preload: boolean) {
  return spawnSync(process.execPath, ['-e', childScript], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LD_PRELOAD: preload ? lib : '' },
  });
}

describe('bench --cpu avx2 (CPUID view)', function () {
  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !fs.existsSync(lib)) {
      console.log(`      (skipped: needs Linux x86-64 and ${lib})`);
      this.skip();
    }
  });

  it('shows Node, the addon and ONNX Runtime an AVX2-only CPU, and both still run', function () {
    const r = runChild(true);
    if (r.status === 77) {
      console.log(`      (skipped: ${r.stderr.trim()})`);
      this.skip();
    }
    assert.equal(r.status, 0, r.stderr);
    const { tables, outputs } = JSON.parse(r.stdout) as { tables: string[]; outputs: number };
    assert.ok(!tables.includes('avx512vnni') && !tables.includes('avxvnni'), `tables under the view: ${tables}`);
    const avx2 = /^flags\s*:.*\bavx2\b/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    assert.equal(tables.includes('avx2'), avx2, 'the avx2 table is usable exactly where the CPU has AVX2');
    assert.ok(outputs >= 1);
  });

  it('hides only what the CPU has: without the view the CPU\'s own tables are listed', function () {
    const r = runChild(false);
    assert.equal(r.status, 0, r.stderr);
    const { tables } = JSON.parse(r.stdout) as { tables: string[] };
    const flags = (/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/);
    const vnni = ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512_vnni'].every((f) => flags.includes(f));
    assert.equal(tables.includes('avx512vnni'), vnni);
  });

  it('takes native or avx2 only', () => {
    assert.equal(parseCpuView('avx2'), 'avx2');
    assert.equal(parseCpuView('native'), 'native');
    assert.throws(() => parseCpuView('avx512'), /--cpu: 'avx512' is not native or avx2/);
  });
});
