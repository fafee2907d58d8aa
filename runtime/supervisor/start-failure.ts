/** The exit code Docker records for a failed start: 127 not found, 126 not executable, else 128. */
export function startFailureCode(message: string): number {
  if (/executable file .*not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return 128;
}
