import { ValueError } from './problems.js';

/**
 * Splits a `command`/`entrypoint` string into arguments as a POSIX shell would, without
 * expanding anything: whitespace separates words; single quotes are literal; double quotes
 * keep spaces and honour `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes escapes the
 * next character. `sh -c 'echo "a b"'` -> [`sh`, `-c`, `echo "a b"`].
 */
export function shellSplit(input: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end === -1) throw new ValueError(`unterminated single quote in "${input}"`);
      word += input.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && '"\\$`\n'.includes(input[i + 1] ?? '')) i++;
        word += input[i++];
      }
      if (i >= input.length) throw new ValueError(`unterminated double quote in "${input}"`);
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 < input.length && input[i + 1] !== '\n') word += input[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
