import { describe, expect, it } from 'vitest';
import { applyChanges, words } from '../../../../runtime/images/changes.js';

describe('import/commit changes (Dockerfile syntax)', () => {
  it.each([
    ['CMD ["sh"]', { Cmd: ['sh'] }],
    ['CMD echo hi', { Cmd: ['/bin/sh', '-c', 'echo hi'] }],
    ['ENTRYPOINT ["/bin/app", "--flag"]', { Entrypoint: ['/bin/app', '--flag'] }],
    ['ENV PATH=/bin A="b c"', { Env: ['PATH=/bin', 'A=b c'] }],
    ['ENV LEGACY value with spaces', { Env: ['LEGACY=value with spaces'] }],
    ['LABEL a=1 "b c"=2', { Labels: { a: '1', 'b c': '2' } }],
    ['EXPOSE 80 53/UDP 1000-1001', { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '1000-1001/tcp': {} } }],
    ['VOLUME ["/data", "/logs"]', { Volumes: { '/data': {}, '/logs': {} } }],
    ['VOLUME /a /b', { Volumes: { '/a': {}, '/b': {} } }],
    ['WORKDIR /srv', { WorkingDir: '/srv' }],
    ['USER nobody:nogroup', { User: 'nobody:nogroup' }],
    ['STOPSIGNAL SIGINT', { StopSignal: 'SIGINT' }],
    ['onbuild RUN true', { OnBuild: ['RUN true'] }],
  ])('%s', (change, expected) => {
    expect(applyChanges({}, [change])).toEqual(expected);
  });

  it('applies in order: later ENV replaces, relative WORKDIR joins', () => {
    const config = applyChanges({ Env: ['A=1', 'B=2'] }, ['ENV A=3', 'WORKDIR /a', 'WORKDIR b']);
    expect(config).toEqual({ Env: ['B=2', 'A=3'], WorkingDir: '/a/b' });
  });

  it.each([
    ['RUN true', /RUN is not a valid change command/],
    ['EXPOSE http', /invalid EXPOSE port/],
    ['ENV A="unterminated', /unterminated quote/],
    ['LABEL =x', /key=value/],
    ['VOLUME [1]', /JSON array of strings/],
  ])('refuses %s', (change, message) => {
    expect(() => applyChanges({}, [change])).toThrow(message);
  });

  it('splits words with quotes and escapes', () => {
    expect(words(`a "b c" 'd e' f\\ g ""`)).toEqual(['a', 'b c', 'd e', 'f g', '']);
  });
});
