// What the engine-level bench cases share: their input description and a camera-like rgb8 frame
// (smooth gradients with texture, so every stage does real work; deterministic).

export interface BenchCaseInput {
  name: string;
  modelPath: string;
  width: number;
  height: number;
  threads: number;
  iterations: number;
  warmup: number;
}

export function cameraFrame(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (x * (c + 1) + y * 2 + ((x * y) >> 7)) & 255;
  return data;
}

/** The engine-vs-ORT frame: a gradient with noise in the low bits, deterministic from `seed`. */
export function randomRgb(width: number, height: number, seed: number): Uint8Array {
  // A smooth pattern plus noise: realistic activations, deterministic across runs.
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        data[(y * width + x) * 3 + c] = ((x * (c + 1) + y * 2) & 255) ^ (s >>> 28);
      }
  return data;
}

/** An rgb8 frame of `data`, as the engine takes it. */
export function rgbFrame(width: number, height: number, data: Uint8Array) {
  return { encoding: 'rgb8', width, height, step: width * 3, data };
}

/** The network at the frame's own size, producing only the label map: the engine cases' run. */
export function labelOnly(width: number, height: number) {
  return {
    networkWidth: width,
    networkHeight: height,
    labelResolution: 'network' as const,
    label: true,
    colorized: false,
    overlay: false,
  };
}
