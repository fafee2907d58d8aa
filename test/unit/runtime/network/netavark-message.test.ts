import { describe, expect, it } from 'vitest';
import { netavarkMessage } from '../../../../runtime/network/netavark.js';

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
