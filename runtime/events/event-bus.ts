import { EventEmitter } from 'node:events';

/** An engine event in the Docker Engine API's `/events` shape. */
export interface EngineEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  /** Legacy fields that docker-compose 1.29 and docker-py still read. */
  status?: string;
  id?: string;
  from?: string;
}

/**
 * Every subsystem publishes what happened here; the `/events` endpoint, health waiters and
 * restart monitors subscribe. Keeps a short history so `since` can replay recent events.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keep = 1024,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Publishes an event; `attributes` should include the resource's labels and name. */
  emit(
    type: EngineEvent['Type'],
    action: string,
    id: string,
    attributes: Record<string, string> = {},
  ): EngineEvent {
    const ms = this.now();
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Math.floor(ms / 1000),
      timeNano: ms * 1_000_000,
    };
    // moby fills the deprecated fields for container and image events only.
    if (type === 'container' || type === 'image') {
      event.status = action;
      event.id = id;
      if (type === 'container' && attributes.image) event.from = attributes.image;
    }
    this.history.push(event);
    if (this.history.length > this.keep) this.history.shift();
    this.emitter.emit('event', event);
    return event;
  }

  /** Events since `timeNano` (inclusive), oldest first. */
  since(timeNano: number): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= timeNano);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
