import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildResponse, NOERROR, parseQuery, TYPE_A } from '../../../runtime/network/dns-codec.js';
import { type NetHarness, startNetHarness } from './harness.js';

// Forwarding of unknown names, proven against a resolver of the test's own on 127.0.0.1:53 (named
// as the container's `Dns`), so no query ever leaves the machine.
describe('embedded DNS forwarding (real kernel, loopback upstream)', () => {
  let h: NetHarness;
  let upstream: Socket;
  const asked: string[] = [];
  beforeEach(async () => {
    upstream = createSocket('udp4');
    upstream.on('message', (msg, rinfo) => {
      const q = parseQuery(msg);
      if (!q) return;
      asked.push(q.name);
      upstream.send(
        buildResponse(msg, q, NOERROR, [{ type: TYPE_A, address: '192.0.2.77' }]),
        rinfo.port,
        rinfo.address,
      );
    });
    await new Promise<void>((resolve, reject) => {
      upstream.once('error', reject);
      upstream.bind(53, '127.0.0.1', () => resolve());
    });
    h = await startNetHarness({ dnsForwarding: true });
  });
  afterEach(async () => {
    expect(await h.close()).toEqual([]);
    await new Promise<void>((r) => upstream.close(() => r()));
    asked.length = 0;
  });

  it("forwards unknown names to the container's Dns servers, but never from internal networks", async () => {
    await h.svc.createNetwork({ Name: `${h.tag}-out` });
    await h.svc.createNetwork({ Name: `${h.tag}-in`, Internal: true });
    const out = await h.svc.attach(
      h.container(`${h.tag}-o`, { networkMode: `${h.tag}-out`, dns: ['127.0.0.1'] }),
    );
    const inside = await h.svc.attach(
      h.container(`${h.tag}-i`, { networkMode: `${h.tag}-in`, dns: ['127.0.0.1'] }),
    );
    const gwOut = h.svc.network(`${h.tag}-out`).gateway;
    const gwIn = h.svc.network(`${h.tag}-in`).gateway;
    const answer = await h.exec(out.netnsPath as string, ['nslookup', 'outside.example', gwOut]);
    expect(answer.out).toContain('192.0.2.77');
    expect(asked).toContain('outside.example');
    const refused = await h.exec(inside.netnsPath as string, ['nslookup', 'inside.example', gwIn]);
    expect(refused.out).not.toContain('192.0.2.77');
    expect(asked).not.toContain('inside.example');
    // Names of containers are still answered locally, without asking upstream.
    const local = await h.exec(out.netnsPath as string, ['nslookup', `${h.tag}-o`, gwOut]);
    expect(local.out).toContain(out.hosts[0]?.[0]);
    expect(asked).not.toContain(`${h.tag}-o`);
  });
});
