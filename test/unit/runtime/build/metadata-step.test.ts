import { describe, expect, it } from 'vitest';
import { parseInstruction } from '../../../../runtime/build/dockerfile-parse.js';
import { exposedPorts, metadataStep, parseDuration } from '../../../../runtime/build/metadata-step.js';
import { envLookup } from '../../../../runtime/build/shell-words.js';

const step = (text: string, config = {}, env: string[] = ['V=val']) =>
  metadataStep(parseInstruction(text, 1), config, envLookup(env), '\\');

describe('metadataStep', () => {
  it.each([
    ['ENV A=1 B="two words" C=$V', { Env: ['A=1', 'B=two words', 'C=val'] }, 'ENV A=1 B=two words C=val'],
    ['ENV LEGACY a b', { Env: ['LEGACY=a b'] }, 'ENV LEGACY=a b'],
    ['LABEL "x y"=z v=$V', { Labels: { 'x y': 'z', v: 'val' } }, 'LABEL x y=z v=val'],
    ['CMD echo $V', { Cmd: ['/bin/sh', '-c', 'echo $V'] }, 'CMD ["/bin/sh" "-c" "echo $V"]'],
    ['CMD ["a", "b"]', { Cmd: ['a', 'b'] }, 'CMD ["a" "b"]'],
    ['ENTRYPOINT ["x"]', { Entrypoint: ['x'] }, 'ENTRYPOINT ["x"]'],
    [
      'EXPOSE 80 53/udp 8000-8001',
      { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} } },
      'EXPOSE 53/udp 80 8000 8001',
    ],
    ['VOLUME ["/a", "/b"]', { Volumes: { '/a': {}, '/b': {} } }, 'VOLUME [/a /b]'],
    ['VOLUME /c $V', { Volumes: { '/c': {}, val: {} } }, 'VOLUME [/c val]'],
    ['USER $V:0', { User: 'val:0' }, 'USER val:0'],
    ['WORKDIR /app', { WorkingDir: '/app' }, 'WORKDIR /app'],
    ['STOPSIGNAL SIGINT', { StopSignal: 'SIGINT' }, 'STOPSIGNAL SIGINT'],
    ['SHELL ["/bin/bash", "-c"]', { Shell: ['/bin/bash', '-c'] }, 'SHELL [/bin/bash -c]'],
    ['ONBUILD RUN make', { OnBuild: ['RUN make'] }, 'ONBUILD RUN make'],
    [
      'HEALTHCHECK NONE',
      { Healthcheck: { Test: ['NONE'] } },
      `HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`,
    ],
  ])('%s', (text, config, comment) => {
    const result = step(text);
    expect(result.config).toEqual(config);
    expect(result.comment).toBe(comment);
  });

  it('relative WORKDIR joins the current one; ENTRYPOINT resets an inherited CMD; ENV replaces', () => {
    expect(step('WORKDIR sub', { WorkingDir: '/app' }).config.WorkingDir).toBe('/app/sub');
    expect(step('ENTRYPOINT ["x"]', { Cmd: ['sh'] }).config).toEqual({ Entrypoint: ['x'] });
    expect(step('ENV A=2', { Env: ['A=1', 'B=1'] }).config.Env).toEqual(['B=1', 'A=2']);
    expect(step('CMD echo', { Shell: ['/bin/ash', '-e'] }).config.Cmd).toEqual(['/bin/ash', '-e', 'echo']);
  });

  it('HEALTHCHECK with options, in both forms', () => {
    expect(
      step('HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --retries=4 CMD ["true"]').config
        .Healthcheck,
    ).toEqual({
      Test: ['CMD', 'true'],
      Interval: 90e9,
      Timeout: 500e6,
      StartPeriod: 2e9,
      Retries: 4,
    });
    expect(step('HEALTHCHECK CMD curl -f x || exit 1').config.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'curl -f x || exit 1'],
    });
  });

  it.each([
    ['EXPOSE http', 'Invalid containerPort: http'],
    ['ONBUILD FROM x', "FROM isn't allowed as an ONBUILD trigger"],
    ['HEALTHCHECK --retries=0 CMD true', '--retries must be at least 1'],
    ['HEALTHCHECK RUN x', 'Unknown type "RUN" in HEALTHCHECK'],
    ['ENV', 'ENV requires at least one argument'],
    ['LABEL novalue', 'LABEL must have two arguments'],
    ['ENV a=1 b', 'Syntax error - can\'t find = in "b"'],
  ])('refuses %s', (text, message) => {
    expect(() => step(text)).toThrow(message);
  });
});

describe('helpers', () => {
  it('parses Go durations', () => {
    expect(parseDuration('1h2m3s', '--interval')).toBe(3723e9);
    expect(() => parseDuration('5', '--interval')).toThrow('invalid duration "5"');
  });
  it('expands port ranges', () => {
    expect(exposedPorts(['1-2/UDP'])).toEqual(['1/udp', '2/udp']);
    expect(() => exposedPorts(['3-1'])).toThrow('Invalid port range');
  });
  it('refuses flags the classic builder does not know', () => {
    expect(() => parseInstruction('RUN --mount=type=cache,target=/x make', 4)).toThrow(
      'line 4: Unknown flag: mount',
    );
  });
});
