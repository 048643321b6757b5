/** Collects what McapWriter writes; the writer reuses its buffers, so each piece is copied. */
export class MemorySink {
  private readonly parts: Uint8Array[] = [];
  private offset = 0n;
  async write(b: Uint8Array): Promise<void> {
    this.parts.push(Uint8Array.from(b));
    this.offset += BigInt(b.length);
  }
  position(): bigint {
    return this.offset;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}
