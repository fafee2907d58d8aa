import { describe, expect, it } from 'vitest';
import {
  canKill,
  canPause,
  canRemove,
  canStart,
  canStop,
  canTransition,
  canUnpause,
} from '../../../../runtime/containers/state-machine.js';
import { EngineError } from '../../../../runtime/errors.js';

const statusOf = (fn: () => void): number | 'ok' => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as EngineError).status;
  }
};

describe('container state guards map to Docker status codes', () => {
  it.each([
    ['start running', () => canStart('running', 'x'), 304],
    ['start exited', () => canStart('exited', 'x'), 'ok'],
    ['start paused', () => canStart('paused', 'x'), 409],
    ['stop exited', () => canStop('exited'), 304],
    ['stop created', () => canStop('created'), 304],
    ['stop running', () => canStop('running'), 'ok'],
    ['kill exited', () => canKill('exited', 'x'), 409],
    ['pause paused', () => canPause('paused', 'x'), 409],
    ['pause exited', () => canPause('exited', 'x'), 409],
    ['unpause running', () => canUnpause('running', 'x'), 409],
    ['remove running', () => canRemove('running', 'x', false), 409],
    ['remove running forced', () => canRemove('running', 'x', true), 'ok'],
    ['remove removing', () => canRemove('removing', 'x', true), 409],
  ] as const)('%s', (_name, fn, expected) => {
    expect(statusOf(fn)).toBe(expected);
  });

  it('has an explicit transition table', () => {
    expect(canTransition('created', 'running')).toBe(true);
    expect(canTransition('removing', 'running')).toBe(false);
    expect(canTransition('paused', 'restarting')).toBe(false);
  });
  it('errors are EngineErrors', () => {
    expect(() => canKill('created', 'x')).toThrow(EngineError);
  });
});
