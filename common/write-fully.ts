import { writeSync } from 'node:fs';

/**
 * Writes the first `length` bytes of `bytes` to `fd`, all of them: writeSync may write less than
 * asked (a pipe, a full disk buffer), so it is called again for the rest until none is left.
 */
export function writeFully(fd: number, bytes: Uint8Array, length: number = bytes.length): void {
  for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
}
