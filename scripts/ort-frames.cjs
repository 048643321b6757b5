// Runs one ONNX file through ONNX Runtime's CPU provider on one thread, <runs> times, on a fixed
// input: the guest program of scripts/count-insns-ort-aarch64.sh (instructions per run are the
// difference between two run counts). Plain CommonJS, so an arm64 `node` runs it under qemu.
//   node scripts/ort-frames.cjs <model.onnx> <runs> <width> <height>
'use strict';
const ort = require('onnxruntime-node');

async function main() {
  const [file, runsArg, wArg, hArg] = process.argv.slice(2);
  const [runs, w, h] = [Number(runsArg), Number(wArg), Number(hArg)];
  if (!file || !(runs >= 1) || !(w >= 1) || !(h >= 1)) throw new Error('usage: ort-frames.cjs <model.onnx> <runs> <width> <height>');
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const x = new Float32Array(3 * h * w);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 2654435761) >>> 24) / 128 - 1;
  const input = new ort.Tensor('float32', x, [1, 3, h, w]);
  let sum = 0;
  for (let r = 0; r < runs; r++) {
    const out = (await session.run({ [session.inputNames[0]]: input }))[session.outputNames[0]];
    sum += out.data[0] + out.data[out.data.length - 1];
  }
  await session.release();
  console.log(`ort runs=${runs} check=${sum.toFixed(4)}`);
}

main().catch((e) => {
  console.error(`ort-frames: ${e.message}`);
  process.exit(1);
});
