// Buffers changed by the caller while a frame is in flight: a resizable ArrayBuffer shrunk, an
// ArrayBuffer transferred away, a getter that swaps `data` between reads, option getters that shrink
// the frame's buffer during runSync. None may crash the process; each frame either completes on
// the bytes it was given or fails with an Error. Run in a child process, so a crash is a failed
// test instead of a dead test runner.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

const SCRIPT = `
const { Engine } = require(${JSON.stringify(path.join(ROOT, 'src', 'engine', 'engine'))});
const e = Engine.fromFile(${JSON.stringify(path.join(ROOT, 'models', 'attendseg_camvid.onnx'))}, { threads: 2 });
const W = 320, H = 240, N = W * H * 3;
const frame = (data) => ({ encoding: 'rgb8', width: W, height: H, step: W * 3, data });
(async () => {
  let ok = 0, errors = 0;
  const settle = async (p) => { try { await p; ok++; } catch (err) { if (!(err instanceof Error)) throw err; errors++; } };
  for (let i = 0; i < 12; i++) {
    const ab = new ArrayBuffer(N, { maxByteLength: N });
    const p = e.run(frame(new Uint8Array(ab)), { overlay: true, colorized: true });
    if (i % 2) ab.resize(16); else structuredClone(ab, { transfer: [ab] });
    await settle(p);
  }
  // data read twice by the binding would see a different, smaller array the second time
  for (let i = 0; i < 4; i++) {
    let reads = 0;
    const f = frame(undefined);
    Object.defineProperty(f, 'data', { get: () => (reads++ === 0 ? new Uint8Array(N) : new Uint8Array(3)) });
    await settle(e.run(f, { overlay: true }));
  }
  // runSync: an option getter shrinks the frame's buffer after the frame was read
  for (let i = 0; i < 4; i++) {
    const ab = new ArrayBuffer(N, { maxByteLength: N });
    const opts = { overlay: true };
    Object.defineProperty(opts, 'overlayAlpha', { enumerable: true, get: () => { ab.resize(8); return 0.5; } });
    try { e.runSync(frame(new Uint8Array(ab)), opts); ok++; } catch (err) { errors++; }
  }
  console.log(JSON.stringify({ ok, errors }));
})();
`;

describe('engine: buffers changed by the caller during a frame', () => {
  it('never crashes the process', function () {
    this.timeout(60000);
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const counts = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: number; errors: number };
    assert.equal(counts.ok + counts.errors, 20);
  });
});
