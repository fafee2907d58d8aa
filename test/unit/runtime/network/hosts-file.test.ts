import { describe, expect, it } from 'vitest';
import { withHostsLine, withoutHostsLine } from '../../../../runtime/network/hosts-file.js';

describe('hosts file edits on connect and disconnect', () => {
  const base = '127.0.0.1\tlocalhost\n10.1.0.2\tweb\n# user edit\n';
  it('adds a line for a new address once', () => {
    const added = withHostsLine(base, ['10.2.0.5', 'web']);
    expect(added).toBe(`${base}10.2.0.5\tweb\n`);
    expect(withHostsLine(added, ['10.2.0.5', 'web'])).toBe(added);
    expect(withHostsLine('x', ['1.2.3.4', 'a'])).toBe('x\n1.2.3.4\ta\n');
  });
  it('removes only the lines of that address', () => {
    expect(withoutHostsLine(base, '10.1.0.2')).toBe('127.0.0.1\tlocalhost\n# user edit\n');
    expect(withoutHostsLine(base, '10.1.0.20')).toBe(base);
  });
});
