// A deliberately plain CDR writer for tests, independent of the library under test: every
// primitive aligned to its size relative to the end of the 4-byte encapsulation header.
export class CdrBytes {
  private bytes: number[] = [];
  constructor(private readonly littleEndian = true) {
    this.bytes.push(0, littleEndian ? 1 : 0, 0, 0);
  }
  private align(n: number): void {
    while ((this.bytes.length - 4) % n !== 0) this.bytes.push(0);
  }
  u8(v: number): this {
    this.bytes.push(v & 255);
    return this;
  }
  u32(v: number): this {
    this.align(4);
    const b = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
    this.bytes.push(...(this.littleEndian ? b : b.reverse()));
    return this;
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  string(s: string): this {
    const utf8 = Buffer.from(s, 'utf8');
    this.u32(utf8.length + 1);
    this.bytes.push(...utf8, 0);
    return this;
  }
  u8Array(a: Uint8Array): this {
    this.u32(a.length);
    for (const x of a) this.bytes.push(x);
    return this;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
