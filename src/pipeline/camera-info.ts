// ~/camera_info: the camera's calibration for the label image, so depth registration and
// projection work on the node's outputs. The camera_info that arrives beside an image is matched
// to it by stamp (either may come first) and scaled to the label's resolution as image_proc's
// resize node scales it: K and P by the ratio of the sizes, after undoing the camera's binning
// and region of interest (the image is the ROI of the full sensor, binned), so the output
// describes its own pixels with binning 0 and a full-image ROI.
import type { CameraInfoMessage, RosHeader } from './messages';

export interface FrameGeometry {
  header: RosHeader;
  /** The camera image's size. */
  imageWidth: number;
  imageHeight: number;
  /** The size the published camera_info describes (the label's). */
  width: number;
  height: number;
}

function checkLength(info: CameraInfoMessage, field: 'k' | 'r' | 'p', n: number): number[] {
  const a = Array.from(info[field] ?? []);
  if (a.length !== n) throw new Error(`camera_info ${field} has ${a.length} elements, expected ${n}`);
  return a;
}

/** `info` for an image of `imageWidth`x`imageHeight` described at `width`x`height` instead. */
export function scaleCameraInfo(info: CameraInfoMessage, g: FrameGeometry): CameraInfoMessage {
  if (g.imageWidth <= 0 || g.imageHeight <= 0) throw new Error(`image size ${g.imageWidth}x${g.imageHeight}`);
  const k = checkLength(info, 'k', 9);
  const p = checkLength(info, 'p', 12);
  const bx = info.binning_x > 1 ? info.binning_x : 1;
  const by = info.binning_y > 1 ? info.binning_y : 1;
  const ox = info.roi?.x_offset ?? 0;
  const oy = info.roi?.y_offset ?? 0;
  const sx = g.width / g.imageWidth / bx;
  const sy = g.height / g.imageHeight / by;
  // principal points move by the ROI offset (full-resolution pixels) before scaling
  k[0] *= sx;
  k[2] = (k[2] - ox) * sx;
  k[4] *= sy;
  k[5] = (k[5] - oy) * sy;
  p[0] *= sx;
  p[2] = (p[2] - ox) * sx;
  p[3] *= sx;
  p[5] *= sy;
  p[6] = (p[6] - oy) * sy;
  p[7] *= sy;
  return {
    header: g.header,
    height: g.height,
    width: g.width,
    distortion_model: info.distortion_model,
    d: Array.from(info.d ?? []),
    k,
    r: checkLength(info, 'r', 9),
    p,
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}

const stampKey = (h: RosHeader) => `${h.stamp.sec}.${h.stamp.nanosec}`;

/**
 * Pairs camera_info messages with processed frames of the same stamp, whichever arrives first,
 * and hands each pair to `publish` once. Keeps the last `keep` of each side.
 */
export class CameraInfoMatcher {
  private readonly infos = new Map<string, CameraInfoMessage>();
  private readonly frames = new Map<string, FrameGeometry>();

  constructor(
    private readonly publish: (info: CameraInfoMessage) => void,
    private readonly onError: (why: string) => void,
    private readonly keep = 10,
  ) {}

  onCameraInfo(info: CameraInfoMessage): void {
    const key = stampKey(info.header);
    const frame = this.frames.get(key);
    if (frame) {
      this.frames.delete(key);
      this.emit(info, frame);
    } else remember(this.infos, key, info, this.keep);
  }

  onFrame(frame: FrameGeometry): void {
    const key = stampKey(frame.header);
    const info = this.infos.get(key);
    if (info) this.emit(info, frame);
    else remember(this.frames, key, frame, this.keep);
  }

  private emit(info: CameraInfoMessage, frame: FrameGeometry): void {
    let scaled: CameraInfoMessage;
    try {
      scaled = scaleCameraInfo(info, frame);
    } catch (e) {
      this.onError((e as Error).message);
      return;
    }
    this.publish(scaled);
  }
}

function remember<T>(m: Map<string, T>, key: string, value: T, keep: number): void {
  m.delete(key);
  m.set(key, value);
  while (m.size > keep) m.delete(m.keys().next().value as string);
}
