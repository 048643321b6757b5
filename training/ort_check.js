// Load ONNX models with onnxruntime-node, run them on [1,3,H,W] inputs and report output shapes,
// timings and (with --ref float.onnx) agreement with a float reference.
//   node training/ort_check.js model.onnx [more.onnx ...] --size 64x48 --size 97x61 [--ref f.onnx] [--runs 10]
const ort = require('onnxruntime-node');

function parseArgs(argv) {
  const a = { models: [], sizes: [], ref: null, runs: 3, threads: 1 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--size') a.sizes.push(argv[++i].split('x').map(Number));
    else if (v === '--ref') a.ref = argv[++i];
    else if (v === '--runs') a.runs = Number(argv[++i]);
    else if (v === '--threads') a.threads = Number(argv[++i]);
    else a.models.push(v);
  }
  if (!a.sizes.length) a.sizes.push([64, 48]);
  return a;
}

// Deterministic smooth test image, normalized like the input contract.
function makeInput(w, h, seed) {
  const data = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = 0.5 + 0.5 * Math.sin((x * (c + 1) + seed) / 7.0) * Math.cos((y * (3 - c) + 2 * seed) / 5.0);
        data[(c * h + y) * w + x] = (v - 0.45) / 0.225;
      }
  return new ort.Tensor('float32', data, [1, 3, h, w]);
}

function argmaxAgreement(a, b, dims) {
  const [, C, H, W] = dims; let same = 0;
  for (let p = 0; p < H * W; p++) {
    let ia = 0, ib = 0;
    for (let c = 1; c < C; c++) {
      if (a[c * H * W + p] > a[ia * H * W + p]) ia = c;
      if (b[c * H * W + p] > b[ib * H * W + p]) ib = c;
    }
    if (ia === ib) same++;
  }
  return same / (H * W);
}

async function timeRun(sess, feeds, runs) {
  let out = await sess.run(feeds);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) out = await sess.run(feeds);
  return { out, ms: Number(process.hrtime.bigint() - t0) / 1e6 / runs };
}

(async () => {
  const a = parseArgs(process.argv.slice(2));
  const opts = { intraOpNumThreads: a.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const ref = a.ref ? await ort.InferenceSession.create(a.ref, opts) : null;
  let failed = 0;
  for (const m of a.models) {
    try {
      const sess = await ort.InferenceSession.create(m, opts);
      for (const [w, h] of a.sizes) {
        const feeds = { [sess.inputNames[0]]: makeInput(w, h, 3) };
        const { out, ms } = await timeRun(sess, feeds, a.runs);
        const y = out[sess.outputNames[0]];
        let line = `${m} ${w}x${h}: out [${y.dims}] ${ms.toFixed(2)} ms`;
        if (y.dims[2] !== h || y.dims[3] !== w) line += ' (size differs from input)';
        const finite = y.data.every(Number.isFinite);
        if (!finite) { line += ' NON-FINITE'; failed++; }
        if (ref) {
          const r = await timeRun(ref, { [ref.inputNames[0]]: feeds[sess.inputNames[0]] }, a.runs);
          const yr = r.out[ref.outputNames[0]];
          let maxd = 0, maxr = 0;
          for (let i = 0; i < yr.data.length; i++) {
            maxd = Math.max(maxd, Math.abs(yr.data[i] - y.data[i]));
            maxr = Math.max(maxr, Math.abs(yr.data[i]));
          }
          line += ` | fp32 ${r.ms.toFixed(2)} ms, max|diff| ${maxd.toFixed(4)} (max|ref| ${maxr.toFixed(3)}),` +
            ` argmax agreement ${(100 * argmaxAgreement(y.data, yr.data, y.dims)).toFixed(1)}%`;
        }
        console.log(line);
      }
    } catch (e) {
      failed++;
      console.log(`${m}: FAILED ${e.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
})();
