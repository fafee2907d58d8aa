import { describe, expect, it } from 'vitest';
import { filterBool, matchLabels, matchNoLabels, parseFilters } from '../../../../runtime/api/filters.js';
import { queryBool } from '../../../../runtime/api/json-body.js';

describe('parseFilters', () => {
  it('reads the Go CLI encoding (maps of value to true)', () => {
    expect(parseFilters('{"label":{"a=b":true,"c":true},"dangling":{"true":true}}')).toEqual({
      label: ['a=b', 'c'],
      dangling: ['true'],
    });
  });

  it('reads the docker-py encoding (lists)', () => {
    expect(parseFilters('{"label":["a=b","c"],"name":["x"]}')).toEqual({ label: ['a=b', 'c'], name: ['x'] });
  });

  it('treats absent and empty as no filter', () => {
    expect(parseFilters(null)).toEqual({});
    expect(parseFilters('')).toEqual({});
    expect(parseFilters('{}')).toEqual({});
  });

  it.each(['{bad', '[1]', '{"label":5}', '"x"'])('refuses %s with a 400', (raw) => {
    expect(() => parseFilters(raw)).toThrow(/invalid filter/);
  });
});

describe('label matching', () => {
  const labels = { 'com.example': 'x', app: 'web' };
  it('matches keys and key=value, every term', () => {
    expect(matchLabels(labels, ['app'])).toBe(true);
    expect(matchLabels(labels, ['app=web', 'com.example=x'])).toBe(true);
    expect(matchLabels(labels, ['app=db'])).toBe(false);
    expect(matchLabels(labels, ['missing'])).toBe(false);
    expect(matchLabels(labels, undefined)).toBe(true);
  });
  it('label! excludes', () => {
    expect(matchNoLabels(labels, ['app=db'])).toBe(true);
    expect(matchNoLabels(labels, ['app'])).toBe(false);
  });
});

describe('booleans', () => {
  it('reads query flags as Docker does', () => {
    for (const v of ['1', 'true', 'True', 'yes']) expect(queryBool(v)).toBe(true);
    for (const v of [null, '', '0', 'false', 'no', 'none']) expect(queryBool(v)).toBe(false);
  });
  it('reads boolean filters and refuses others', () => {
    expect(filterBool('dangling', ['true'])).toBe(true);
    expect(filterBool('dangling', ['0'])).toBe(false);
    expect(filterBool('dangling', undefined)).toBeUndefined();
    expect(() => filterBool('dangling', ['maybe'])).toThrow("invalid filter 'dangling=maybe'");
  });
});
