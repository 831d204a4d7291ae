import type { EventEnvelope, EventName, EventPayloads } from '../../contract';

type Listener = (envelope: EventEnvelope) => void;

/** Fan-out of contract events to every transport. A failing listener never stops the others. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of [...this.listeners]) {
      try {
        listener(envelope);
      } catch (error) {
        console.error(`listener for ${event} failed:`, error);
      }
    }
  }
}
