import { checkFilterKeys, type Filters, matchAny, matchLabels } from '../api/filters.js';
import { invalid } from '../errors.js';
import type { EngineEvent } from './event-bus.js';

/** The filter keys `/events` accepts (Docker's set, less swarm-only ones). */
export const EVENT_FILTER_KEYS = [
  'container',
  'daemon',
  'event',
  'image',
  'label',
  'network',
  'scope',
  'type',
  'volume',
] as const;

/** Refuses unknown filter keys and unknown `type` values with a 400. */
export function checkEventFilters(filters: Filters): void {
  checkFilterKeys(filters, EVENT_FILTER_KEYS);
  const types = [
    'container',
    'image',
    'volume',
    'network',
    'daemon',
    'plugin',
    'service',
    'node',
    'secret',
    'config',
  ];
  for (const t of filters.type ?? []) if (!types.includes(t)) throw invalid(`unknown event type "${t}"`);
}

/**
 * True when an event passes every filter (values of one key are ORed, keys are ANDed), as
 * dockerd's events filter does: `event` also matches the verb before `:` (`exec_start: sh`),
 * `container`/`volume`/`network`/`daemon` match the actor's ID or name by prefix (whatever the
 * event's type), `image` matches the image's ID or name with or without `:latest`,
 * and `label` matches the actor's attributes.
 */
export function matchEvent(e: EngineEvent, f: Filters): boolean {
  const attrs = e.Actor.Attributes;
  const verb = e.Action.split(':')[0]!.trim();
  return (
    matchAny(f.type, (t) => t === e.Type) &&
    matchAny(f.event, (a) => a === e.Action || a === verb) &&
    matchAny(f.scope, (s) => s === e.scope) &&
    matchLabels(attrs, f.label) &&
    matchActor(e, f.container) &&
    matchActor(e, f.volume) &&
    matchActor(e, f.network) &&
    matchActor(e, f.daemon) &&
    matchImage(e, f.image)
  );
}

/** dockerd's fuzzy match: the actor's ID or name equals, or starts with, a filter value. */
function matchActor(e: EngineEvent, terms: string[] | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  const names = [e.Actor.ID, e.Actor.Attributes.name].filter((n): n is string => Boolean(n));
  return terms.some((t) => names.some((n) => n.startsWith(t)));
}

function matchImage(e: EngineEvent, terms: string[] | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  const candidates = [
    e.Type === 'image' ? e.Actor.ID : undefined,
    e.Actor.Attributes.image,
    e.Actor.Attributes.name,
  ]
    .filter((c): c is string => Boolean(c))
    .flatMap(withoutLatest);
  return terms.some((t) => withoutLatest(t).some((n) => candidates.includes(n)));
}

/** `busybox` and `busybox:latest` name the same image. */
function withoutLatest(ref: string): string[] {
  return ref.endsWith(':latest') ? [ref, ref.slice(0, -':latest'.length)] : [ref, `${ref}:latest`];
}
