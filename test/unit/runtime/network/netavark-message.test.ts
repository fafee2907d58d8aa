import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { netavarkMessage } from '../../../../runtime/network/netavark.js';
import { isolationJumpMissing, networkRulesCleanup } from '../../../../runtime/network/netavark-chains.js';

describe('netavark error messages', () => {
  it("keeps netavark's own error line, without its log prefix", () => {
    expect(
      netavarkMessage('[INFO netavark] setting up\n[ERROR netavark] IO error: File exists (os error 17)\n'),
    ).toBe('IO error: File exists (os error 17)');
    expect(netavarkMessage('Error: failed to open netns\n')).toBe('failed to open netns');
    expect(netavarkMessage('{"error":"failed to delete container veth eth0"}\n')).toBe(
      '{"error":"failed to delete container veth eth0"}',
    );
    expect(netavarkMessage('')).toBe('');
  });
});

describe("netavark 1.4's lost isolation jump", () => {
  const used = '-A NETAVARK_ISOLATION_1 -i br-a ! -o br-a -j NETAVARK_ISOLATION_2';
  it('is missing only while some network still has isolation rules', () => {
    expect(isolationJumpMissing(`*filter\n${used}\nCOMMIT\n`)).toBe(true);
    expect(isolationJumpMissing(`*filter\n-A FORWARD -j NETAVARK_ISOLATION_1\n${used}\nCOMMIT\n`)).toBe(
      false,
    );
    expect(isolationJumpMissing('*filter\n:NETAVARK_ISOLATION_1 - [0:0]\nCOMMIT\n')).toBe(false);
  });
});

describe("a removed network's netavark rules", () => {
  it('are the ones naming its subnet or bridge, and the chains POSTROUTING sends its subnet to', async () => {
    const dump = readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), 'golden/netavark-network-left.txt'),
      'utf8',
    );
    const text = networkRulesCleanup(dump, { subnets: ['10.251.7.0/24'], bridge: 'br-nvtest1' });
    await expect(text).toMatchFileSnapshot('golden/netavark-network-cleanup.txt');
    expect(text).not.toContain('docker0');
    expect(networkRulesCleanup(dump, { subnets: ['10.99.0.0/24'], bridge: 'br-other' })).toBe('');
  });
});
