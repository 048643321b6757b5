// The topics of each camera the node segments. Without the `cameras` parameter there is one
// camera with the node's own names (input `image`, outputs `~/label`, ...); with it, camera `front`
// has input `front/image_raw` and outputs `front/<node name>/label`, ... (relative names resolve
// in the node's namespace, absolute ones stay). camera_info is always the one beside the image
// (image_transport's naming), so one rule serves both.

export const MAX_CAMERAS = 16;

export interface CameraTopics {
  /** The camera as the `cameras` parameter names it; '' for the node without that parameter. */
  camera: string;
  /** The base image topic as the node names it: `image` or `front/image_raw`. */
  image: string;
  /** The topic of one output, as the node names it: `~/label` or `front/attendseg/label`. */
  output(name: string): string;
}

const TOKEN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` is not a camera namespace (a valid ROS name, absolute or relative), or null. */
export function cameraNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name === '/') return 'is the root namespace; name the camera';
  if (name.endsWith('/')) return 'ends with /';
  if (name.includes('//')) return 'has an empty name between two /';
  for (const token of (name.startsWith('/') ? name.slice(1) : name).split('/')) {
    if (/^[0-9]/.test(token)) return `has a name starting with a digit ('${token}')`;
    if (!TOKEN.test(token)) return `has a name with a character other than letters, digits and _ ('${token}')`;
  }
  return null;
}

/** Why the list of cameras is not usable, or null. */
export function checkCameras(cameras: readonly string[]): string | null {
  if (cameras.length > MAX_CAMERAS) return `${cameras.length} cameras; at most ${MAX_CAMERAS}`;
  for (let i = 0; i < cameras.length; i++) {
    const why = cameraNameProblem(cameras[i]);
    if (why) return `camera '${cameras[i]}' ${why}`;
    if (cameras.indexOf(cameras[i]) < i) return `camera '${cameras[i]}' is listed twice`;
  }
  return null;
}

/** `name` resolved in the namespace `ns` (`/` or `/robot`). */
export function resolveName(name: string, ns: string): string {
  if (name.startsWith('/')) return name;
  return ns === '/' ? `/${name}` : `${ns}/${name}`;
}

/**
 * The cameras' topics for the node `nodeName` (fully qualified: `/robot/attendseg`); throws when
 * two entries name the same camera once resolved (`front` and `/front` in the root namespace).
 */
export function cameraTopics(cameras: readonly string[], nodeName: string): CameraTopics[] {
  if (cameras.length === 0) return [{ camera: '', image: 'image', output: (name) => `~/${name}` }];
  const cut = nodeName.lastIndexOf('/');
  const ns = cut <= 0 ? '/' : nodeName.slice(0, cut);
  const base = nodeName.slice(cut + 1);
  const seen = new Map<string, string>();
  for (const c of cameras) {
    const resolved = resolveName(c, ns);
    const other = seen.get(resolved);
    if (other !== undefined) throw new Error(`cameras: '${other}' and '${c}' are the same camera, ${resolved}`);
    seen.set(resolved, c);
  }
  return cameras.map((camera) => ({
    camera,
    image: `${camera}/image_raw`,
    output: (name) => `${camera}/${base}/${name}`,
  }));
}
