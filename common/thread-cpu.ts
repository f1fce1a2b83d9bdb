import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) the calling thread has used, in seconds, from Linux's
 * /proc/thread-self/stat; null where that file does not exist. Node 20 has no per-thread CPU
 * clock (process.cpuUsage counts every thread of the process: the workers, and V8's compiler and
 * GC threads), and the sweep bench needs to tell a worker's simulation time from that background
 * work. Resolution: one clock tick (USER_HZ, 1/100 s on Linux).
 */
export function threadCpuSeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3,
  // utime and stime are fields 14 and 15 (proc(5)).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
}

const USER_HZ = 100;
