// Where the shipped model lives, whether the package runs from a checkout, an npm install or a
// colcon install (which copies models/ next to lib/).
import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_MODEL_FILE = 'attendseg_camvid.onnx';

/** The package root: the folder that holds lib/ (compiled) or src/ (run through tsx). */
export function packageRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

/** Absolute path of the shipped default model; throws naming the path when it is missing. */
export function defaultModelPath(): string {
  const file = path.join(packageRoot(), 'models', DEFAULT_MODEL_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`the default model ${file} is missing: pass a model path explicitly or reinstall the package`);
  }
  return file;
}
