import { describe, expect, it } from 'vitest';
import { buildResponse, NOERROR, parseQuery, TYPE_A } from '../../../../runtime/network/dns-codec.js';
import { CLASSIC_UDP_LIMIT, fitForUdp, udpLimit } from '../../../../runtime/network/dns-truncate.js';

/** A query for `name`, with an EDNS0 OPT record advertising `ednsSize` when given. */
function query(name: string, ednsSize?: number): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, ednsSize ? 1 : 0]);
  const question = Buffer.concat([...labels, Buffer.from([0, 0, TYPE_A, 0, 1])]);
  if (!ednsSize) return Buffer.concat([header, question]);
  const opt = Buffer.from([0, 0, 41, ednsSize >> 8, ednsSize & 0xff, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, question, opt]);
}

/** The response for `count` replicas of a service (16 bytes per A record). */
function replicas(raw: Buffer, count: number): Buffer {
  const q = parseQuery(raw);
  if (!q) throw new Error('unparsed');
  const answers = Array.from({ length: count }, (_, i) => ({
    type: TYPE_A,
    address: `10.0.${i >> 8}.${i & 0xff}`,
  }));
  return buildResponse(raw, q, NOERROR, answers as Array<{ type: typeof TYPE_A; address: string }>);
}

const TC = 0x0200;

describe('DNS answers over UDP', () => {
  it('reads the size an EDNS0 client accepts, else 512', () => {
    expect(udpLimit(query('web'))).toBe(CLASSIC_UDP_LIMIT);
    expect(udpLimit(query('web', 4096))).toBe(4096);
    expect(udpLimit(query('web', 100))).toBe(CLASSIC_UDP_LIMIT);
    expect(udpLimit(Buffer.alloc(3))).toBe(CLASSIC_UDP_LIMIT);
  });

  it('sends a response that fits unchanged', () => {
    const reply = replicas(query('web'), 3);
    expect(fitForUdp(reply, 512)).toBe(reply);
    expect(reply.readUInt16BE(2) & TC).toBe(0);
  });

  it('keeps the whole answers that fit and sets TC when the response is larger than a packet', () => {
    const raw = query('web');
    const full = replicas(raw, 40);
    expect(full.length).toBeGreaterThan(512);
    const cut = fitForUdp(full, udpLimit(raw));
    expect(cut.length).toBeLessThanOrEqual(512);
    expect(cut.readUInt16BE(2) & TC).toBe(TC);
    expect(cut.readUInt16BE(0)).toBe(0x1234);
    const kept = cut.readUInt16BE(6);
    expect(kept).toBe(Math.floor((512 - 12 - (raw.length - 12)) / 16));
    // The kept records are the first ones, whole: the last four bytes are an address.
    expect(cut.length).toBe(raw.length + kept * 16);
    expect([...cut.subarray(cut.length - 4)]).toEqual([10, 0, 0, kept - 1]);
  });

  it('lets an EDNS0 client that accepts more have it all', () => {
    const raw = query('web', 4096);
    const full = replicas(raw, 40);
    expect(fitForUdp(full, udpLimit(raw))).toBe(full);
  });
});
