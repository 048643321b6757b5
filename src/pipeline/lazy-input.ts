// The input is subscribed only while some output has a subscriber, as image_pipeline's nodes do
// it: a timer looks at the outputs' subscription counts and opens or closes the subscriptions. An
// idle node then receives no camera frames over the middleware at all.
import type { InputSubscription, Logger } from './transport';

export class LazyInput {
  private open: InputSubscription[] | null = null;

  constructor(
    /** Whether any output wants frames now. */
    private readonly wanted: () => boolean,
    /** Opens the input subscriptions (the image first). */
    private readonly subscribe: () => InputSubscription[],
    private readonly log: Logger,
  ) {}

  get subscribed(): boolean {
    return this.open !== null;
  }

  /** Opens or closes the subscriptions to match what the outputs want now. */
  check(): void {
    const wanted = this.wanted();
    if (wanted && !this.open) {
      this.open = this.subscribe();
      this.log.info(`an output has a subscriber: subscribed ${this.open.map((s) => s.topic).join(' and ')}`);
    } else if (!wanted && this.open) this.unsubscribe('no output has a subscriber: unsubscribed');
  }

  close(): void {
    if (this.open) this.unsubscribe('closing: unsubscribed');
  }

  private unsubscribe(why: string): void {
    const topics = this.open!.map((s) => s.topic);
    for (const s of this.open!) s.close();
    this.open = null;
    this.log.info(`${why} ${topics.join(' and ')}`);
  }
}
