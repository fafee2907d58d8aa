import { describe, expect, it } from 'vitest';
import { remoteFileName, URL_SOURCE } from '../../../runtime/build/remote-source.js';

describe('ADD URL sources', () => {
  it('tells URLs from context paths', () => {
    expect(URL_SOURCE.test('https://example.com/a.txt')).toBe(true);
    expect(URL_SOURCE.test('HTTP://example.com/')).toBe(true);
    expect(URL_SOURCE.test('dir/http://x')).toBe(false);
    expect(URL_SOURCE.test('file.txt')).toBe(false);
  });

  it.each([
    ['http://example.com/files/app.tgz', 'app.tgz'],
    ['http://example.com/files/a%20b.txt?x=1#frag', 'a b.txt'],
    ['https://example.com:8443/deep/path/x', 'x'],
  ])('%s lands as %s in a directory', (url, name) => {
    expect(remoteFileName(url)).toBe(name);
  });

  it('refuses a URL with no file name, naming it', () => {
    expect(() => remoteFileName('http://example.com/')).toThrow(
      'ADD http://example.com/: cannot determine a file name from the URL; give the destination a file name',
    );
  });
});
