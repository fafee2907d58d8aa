import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../../runtime/events/event-bus.js';
import { checkEventFilters, matchEvent } from '../../../../runtime/events/event-filter.js';
import { parseEventTime } from '../../../../runtime/events/events-service.js';

const bus = new EventBus(() => 1_700_000_000_000);
const started = bus.emit('container', 'start', 'a'.repeat(64), {
  name: 'web-1',
  image: 'busybox:latest',
  'com.docker.compose.project': 'shop',
});
const exec = bus.emit('container', 'exec_start: sh -c true', 'a'.repeat(64), { name: 'web-1' });
const volume = bus.emit('volume', 'create', 'data', { driver: 'local' });
const image = bus.emit('image', 'tag', 'sha256:1234', { name: 'busybox:latest' });

describe('matchEvent', () => {
  it.each([
    [{}, [started, exec, volume, image]],
    [{ type: ['volume'] }, [volume]],
    [{ type: ['volume', 'image'] }, [volume, image]],
    [{ event: ['start'] }, [started]],
    [{ event: ['exec_start'] }, [exec]],
    [{ container: ['web-1'] }, [started, exec]],
    [{ container: ['aaaa'] }, [started, exec]],
    [{ container: ['web-2'] }, []],
    [{ label: ['com.docker.compose.project=shop'] }, [started]],
    [{ label: ['com.docker.compose.project'] }, [started]],
    [{ label: ['com.docker.compose.project=other'] }, []],
    [{ image: ['busybox'] }, [started, image]],
    [{ volume: ['data'] }, [volume]],
    [{ type: ['container'], event: ['start', 'die'], container: ['web-1'] }, [started]],
  ])('%j selects its events', (filters, expected) => {
    expect([started, exec, volume, image].filter((e) => matchEvent(e, filters))).toEqual(expected);
  });

  it('keeps the legacy fields docker-compose 1.29 reads', () => {
    expect(started).toMatchObject({
      status: 'start',
      id: 'a'.repeat(64),
      from: 'busybox:latest',
      time: 1_700_000_000,
    });
  });

  it('fills status and id for image events too, as moby does, but never for other types', () => {
    expect(image).toMatchObject({ status: 'tag', id: 'sha256:1234' });
    expect(image.from).toBeUndefined();
    expect(volume.status).toBeUndefined();
    expect(volume.id).toBeUndefined();
  });

  it('refuses unknown keys and types', () => {
    expect(() => checkEventFilters({ colour: ['red'] })).toThrow("invalid filter 'colour'");
    expect(() => checkEventFilters({ type: ['gadget'] })).toThrow('unknown event type "gadget"');
  });
});

describe('parseEventTime', () => {
  it('reads seconds with an optional fraction, and RFC 3339', () => {
    expect(parseEventTime('since', '1700000000')).toBe(1_700_000_000_000_000_000n);
    expect(parseEventTime('since', '1700000000.5')).toBe(1_700_000_000_500_000_000n);
    expect(parseEventTime('since', '1700000000.000000001')).toBe(1_700_000_000_000_000_001n);
    expect(parseEventTime('until', '2023-11-14T22:13:20Z')).toBe(1_700_000_000_000_000_000n);
    expect(parseEventTime('since', null)).toBeUndefined();
  });
  it('refuses anything else', () => {
    expect(() => parseEventTime('since', 'yesterday')).toThrow('invalid value for since: "yesterday"');
  });
});
