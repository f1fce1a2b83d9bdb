import { openSync, writeSync } from 'node:fs';
import { UserError } from './errors.js';

/**
 * Writes the first `length` bytes of `bytes` to `fd`, all of them: writeSync may write less than
 * asked (a pipe, a full disk buffer), so it is called again for the rest until none is left.
 */
export function writeFully(fd: number, bytes: Uint8Array, length: number = bytes.length): void {
  for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
}

/**
 * Opens (creates or truncates) `path` for writing. Failing to is the user's problem (a missing
 * directory, no permission), reported as a UserError naming the file and `what` it was to hold.
 */
export function openForWriting(path: string, what?: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new UserError(`${path}: cannot open${what === undefined ? '' : ` ${what}`} for writing: ${(e as Error).message}`);
  }
}
