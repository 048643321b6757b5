// A plain rgb8 raster to draw charts into, written out with sharp. Text goes on as an SVG layer
// rendered by sharp (librsvg); without fonts on the machine the shapes still come out.
import sharp from 'sharp';

export type Rgb = readonly [number, number, number];

export interface Label {
  x: number;
  y: number;
  text: string;
  size?: number;
  color?: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Degrees, about (x, y). */
  rotate?: number;
  bold?: boolean;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export class Raster {
  readonly data: Uint8Array;
  readonly labels: Label[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  rect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    const x1 = Math.min(this.width, Math.round(x0 + w));
    const y1 = Math.min(this.height, Math.round(y0 + h));
    for (let y = Math.max(0, Math.round(y0)); y < y1; y++) {
      for (let x = Math.max(0, Math.round(x0)); x < x1; x++) {
        const o = (y * this.width + x) * 3;
        this.data[o] = c[0];
        this.data[o + 1] = c[1];
        this.data[o + 2] = c[2];
      }
    }
  }

  /** Copies a tight rgb8 image with its top-left corner at (x, y). */
  blit(src: Uint8Array, w: number, h: number, x: number, y: number): void {
    for (let row = 0; row < h && y + row < this.height; row++) {
      const n = Math.min(w, this.width - x) * 3;
      this.data.set(src.subarray(row * w * 3, row * w * 3 + n), ((y + row) * this.width + x) * 3);
    }
  }

  text(label: Label): void {
    this.labels.push(label);
  }

  async png(): Promise<Buffer> {
    let img = sharp(Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength), {
      raw: { width: this.width, height: this.height, channels: 3 },
    });
    if (this.labels.length) {
      const texts = this.labels.map((l) => {
        const rot = l.rotate ? ` transform="rotate(${l.rotate} ${l.x} ${l.y})"` : '';
        return (
          `<text x="${l.x}" y="${l.y}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${l.size ?? 12}" ` +
          `fill="${l.color ?? '#222'}" text-anchor="${l.anchor ?? 'start'}"${l.bold ? ' font-weight="bold"' : ''}${rot}>${escapeXml(l.text)}</text>`
        );
      });
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}">${texts.join('')}</svg>`;
      img = img.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]);
    }
    return img.png().toBuffer();
  }
}

/** White through blue to dark navy, for shares 0..1. */
export function heat(share: number): Rgb {
  const t = Math.max(0, Math.min(1, share));
  const stops: Rgb[] = [[247, 251, 255], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const u = f - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * u)) as unknown as Rgb;
}

export function paletteColor(palette: Uint8Array, c: number): Rgb {
  return [palette[c * 3], palette[c * 3 + 1], palette[c * 3 + 2]];
}
