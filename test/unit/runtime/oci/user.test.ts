import { describe, expect, it } from 'vitest';
import { resolveUser } from '../../../../runtime/oci/user.js';

const passwd =
  'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\nbroken line\n';
const group = 'root:x:0:\napp:x:1000:\nwheel:x:10:app,other\naudio:x:29:app\nnogroup:x:65534:\n';

describe('resolveUser', () => {
  it.each([
    ['', { uid: 0, gid: 0, additionalGids: [], home: '/root' }],
    ['app', { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/app' }],
    ['1000', { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/app' }],
    ['4242', { uid: 4242, gid: 0, additionalGids: [] }],
    ['app:wheel', { uid: 1000, gid: 10, additionalGids: [], home: '/home/app' }],
    ['1234:5678', { uid: 1234, gid: 5678, additionalGids: [] }],
  ])('%s', (spec, expected) => {
    expect(resolveUser(spec, passwd, group)).toEqual(expected);
  });

  it('refuses unknown names, and adds GroupAdd', () => {
    expect(() => resolveUser('ghost', passwd, group)).toThrow(/unable to find user ghost/);
    expect(() => resolveUser('app:ghosts', passwd, group)).toThrow(/unable to find group ghosts/);
    expect(resolveUser('nobody', passwd, group, ['audio', '77']).additionalGids).toEqual([29, 77]);
  });

  it('stays bounded on a huge group file', () => {
    const huge = `big:x:5:${'u,'.repeat(200_000)}\n`;
    expect(resolveUser('', passwd, huge).uid).toBe(0);
  });
});
