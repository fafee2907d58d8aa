import { describe, expect, it } from 'vitest';
import { netavarkMessage } from '../../../../runtime/network/netavark.js';
import { isolationJumpMissing } from '../../../../runtime/network/netavark-chains.js';

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
