import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  NOERROR,
  parseQuery,
  TYPE_A,
  TYPE_AAAA,
  TYPE_PTR,
} from '../../../../runtime/network/dns-codec.js';
import { resolveQuestion, shuffler } from '../../../../runtime/network/dns-names.js';
import { parseCidr } from '../../../../runtime/network/ipam.js';
import { macFor } from '../../../../runtime/network/link-commands.js';
import { defaultBridgeRecord, newNetworkRecord } from '../../../../runtime/network/network-records.js';
import type { AttachedContainer, NetworkState } from '../../../../runtime/network/network-state.js';

/** A query as a resolver library would send it. */
function query(name: string, type: number, id = 0x1234): Buffer {
  const labels = name
    .split('.')
    .filter(Boolean)
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, type, 0, 1])]);
}

const created = '2026-01-01T00:00:00.000Z';
const pools = [{ base: '10.70.0.0/16', size: 24 }];
const front = newNetworkRecord({ Name: 'front' }, 'f'.repeat(64), created, pools, []);
const back = newNetworkRecord({ Name: 'back', Internal: true }, 'b'.repeat(64), created, pools, [
  parseCidr(front.subnet),
]);
const bridge = defaultBridgeRecord('d'.repeat(64), created, 'berth0', parseCidr('10.71.0.0/16'));

function ctr(
  id: string,
  name: string,
  eps: Array<[string, string, string[]]>,
  service?: string,
): AttachedContainer {
  return {
    id: id.repeat(64 / id.length),
    name,
    hostname: `${name}-host`,
    mode: 'bridge',
    netns: `/run/x/${name}`,
    service,
    endpoints: eps.map(([networkId, ip, aliases], i) => ({
      networkId,
      endpointId: 'e'.repeat(64),
      ifname: `eth${i}`,
      hostVeth: `bv${name}${i}`,
      ip,
      mac: macFor(ip),
      aliases,
    })),
    ports: [],
  };
}

const web1 = ctr('a1', 'proj-web-1', [[front.Id, '10.70.0.2', ['www']]], 'web');
const web2 = ctr('a2', 'proj-web-2', [[front.Id, '10.70.0.3', []]], 'web');
const db = ctr('a3', 'proj-db-1', [[back.Id, '10.70.1.2', ['database']]], 'db');
const api = ctr(
  'a4',
  'proj-api-1',
  [
    [front.Id, '10.70.0.4', []],
    [back.Id, '10.70.1.3', []],
  ],
  'api',
);
const legacy = ctr('a5', 'legacy', [[bridge.Id, '10.71.0.2', []]]);
const state: NetworkState = {
  version: 1,
  networks: [bridge, front, back],
  attached: Object.fromEntries([web1, web2, db, api, legacy].map((c) => [c.id, c])),
  configured: {},
};
const identity = <T>(items: T[]) => items;

describe('dns codec', () => {
  it('parses a query and builds an answer that echoes id and question', () => {
    const q = parseQuery(query('Web.', TYPE_A));
    expect(q).toMatchObject({ id: 0x1234, name: 'web', type: TYPE_A, recursionDesired: true });
    const raw = query('web', TYPE_A);
    const parsed = parseQuery(raw);
    if (!parsed) throw new Error('unparsed');
    const res = buildResponse(raw, parsed, NOERROR, [{ type: TYPE_A, address: '10.0.0.9' }]);
    expect(res.readUInt16BE(0)).toBe(0x1234);
    expect(res.readUInt16BE(2) & 0x8000).toBe(0x8000);
    expect(res.readUInt16BE(6)).toBe(1);
    expect([...res.subarray(res.length - 4)]).toEqual([10, 0, 0, 9]);
  });

  it('rejects malformed packets', () => {
    expect(parseQuery(Buffer.from([1, 2, 3]))).toBeUndefined();
    expect(parseQuery(Buffer.concat([query('x', TYPE_A).subarray(0, 13)]))).toBeUndefined();
  });
});

describe('service discovery', () => {
  const ask = (src: string, name: string, type = TYPE_A) => {
    const q = parseQuery(query(name, type));
    if (!q) throw new Error('unparsed');
    return resolveQuestion(state, src, q, identity);
  };

  it('answers every replica of a service, container names, aliases, short IDs and hostnames', () => {
    expect(ask('10.70.0.4', 'web')).toEqual({
      kind: 'answer',
      rcode: NOERROR,
      answers: [
        { type: TYPE_A, address: '10.70.0.2' },
        { type: TYPE_A, address: '10.70.0.3' },
      ],
    });
    for (const name of ['proj-web-1', 'www', web1.id.slice(0, 12), 'proj-web-1-host']) {
      expect(ask('10.70.0.3', name)).toMatchObject({ kind: 'answer', answers: [{ address: '10.70.0.2' }] });
    }
    expect(ask('10.70.0.4', 'database')).toMatchObject({ answers: [{ address: '10.70.1.2' }] });
  });

  it('answers only containers on a network shared with the querier', () => {
    expect(ask('10.70.0.2', 'database')).toEqual({ kind: 'unknown', internal: false });
    expect(ask('10.70.1.2', 'www')).toEqual({ kind: 'unknown', internal: true });
    expect(ask('10.71.0.2', 'www')).toEqual({ kind: 'refused' });
    expect(ask('192.0.2.50', 'www')).toEqual({ kind: 'refused' });
  });

  it('answers PTR with name.network and AAAA with an empty answer', () => {
    expect(ask('10.70.0.4', '2.0.70.10.in-addr.arpa', TYPE_PTR)).toMatchObject({
      answers: [{ type: TYPE_PTR, target: 'proj-web-1.front' }],
    });
    expect(ask('10.70.0.4', 'web', TYPE_AAAA)).toEqual({ kind: 'answer', rcode: NOERROR, answers: [] });
  });

  it('shuffles with the injected randomness', () => {
    const shuffle = shuffler(() => 0);
    expect(shuffle([1, 2, 3])).toEqual([2, 3, 1]);
  });
});
