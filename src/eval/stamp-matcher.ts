// Pairs two streams of messages by header stamp, as they come out of a bag in receive-time
// order. An entry waits at most `maxDelayNs` of receive time for its partner (a live node's
// output arrives after its input); older ones are counted as unmatched and dropped, so memory
// stays bounded whatever the bag holds.

export interface Pair<L, R> {
  stamp: bigint;
  left: L;
  right: R;
}

export class StampMatcher<L, R> {
  private readonly lefts = new Map<bigint, { at: bigint; value: L }>();
  private readonly rights = new Map<bigint, { at: bigint; value: R }>();
  /** Left entries that never found a right one, and the other way round. */
  leftOnly = 0;
  rightOnly = 0;
  /** Messages dropped because their side already had one with the same stamp. */
  duplicates = 0;

  constructor(private readonly maxDelayNs: bigint) {}

  left(stamp: bigint, receivedAt: bigint, value: L): Pair<L, R> | undefined {
    this.expire(receivedAt);
    const r = this.rights.get(stamp);
    if (r) {
      this.rights.delete(stamp);
      return { stamp, left: value, right: r.value };
    }
    if (this.lefts.has(stamp)) this.duplicates++;
    else this.lefts.set(stamp, { at: receivedAt, value });
    return undefined;
  }

  right(stamp: bigint, receivedAt: bigint, value: R): Pair<L, R> | undefined {
    this.expire(receivedAt);
    const l = this.lefts.get(stamp);
    if (l) {
      this.lefts.delete(stamp);
      return { stamp, left: l.value, right: value };
    }
    if (this.rights.has(stamp)) this.duplicates++;
    else this.rights.set(stamp, { at: receivedAt, value });
    return undefined;
  }

  /** Counts whatever is still waiting as unmatched. */
  finish(): void {
    this.leftOnly += this.lefts.size;
    this.rightOnly += this.rights.size;
    this.lefts.clear();
    this.rights.clear();
  }

  private expire(now: bigint): void {
    // Maps keep insertion order, which is receive-time order here: stop at the first young entry.
    for (const [stamp, e] of this.lefts) {
      if (now - e.at <= this.maxDelayNs) break;
      this.lefts.delete(stamp);
      this.leftOnly++;
    }
    for (const [stamp, e] of this.rights) {
      if (now - e.at <= this.maxDelayNs) break;
      this.rights.delete(stamp);
      this.rightOnly++;
    }
  }
}
