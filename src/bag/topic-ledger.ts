// Per-topic message counts and the time range of a bag being written, for its metadata.
import { messageDefinition } from '../msg/definitions';
import { DEFAULT_QOS, serializeQosProfiles } from './qos';
import type { NewTopic, TopicStats } from './types';

export class TopicLedger {
  private readonly byName = new Map<string, TopicStats>();
  first: bigint | undefined;
  last: bigint | undefined;

  /** Registers a topic; returns its stats entry with defaults filled in. Throws on a duplicate. */
  add(t: NewTopic): TopicStats & { definition: { encoding: string; text: string } } {
    if (this.byName.has(t.name)) throw new Error(`topic ${t.name} was already added to this bag`);
    if (!t.name.startsWith('/')) throw new Error(`topic name '${t.name}' must be absolute (start with '/')`);
    const definition = t.definition ?? { encoding: 'ros2msg', text: messageDefinition(t.type) };
    const stats: TopicStats = {
      name: t.name,
      type: t.type,
      serializationFormat: 'cdr',
      offeredQosProfiles: t.offeredQosProfiles ?? serializeQosProfiles([DEFAULT_QOS]),
      typeDescriptionHash: t.typeDescriptionHash ?? '',
      definition,
      messageCount: 0,
    };
    this.byName.set(t.name, stats);
    return { ...stats, definition };
  }

  /** Counts one message; throws if the topic was never added. */
  count(topic: string, logTime: bigint): void {
    const t = this.byName.get(topic);
    if (!t) throw new Error(`topic ${topic} was not added to this bag before writing to it`);
    if (logTime < 0n) throw new Error(`negative timestamp ${logTime} on ${topic}`);
    t.messageCount++;
    if (this.first === undefined || logTime < this.first) this.first = logTime;
    if (this.last === undefined || logTime > this.last) this.last = logTime;
  }

  topics(): TopicStats[] {
    return [...this.byName.values()].map((t) => ({ ...t }));
  }
}
