import { isAbsolute, resolve } from 'node:path';
import { findWorkload, resolveWorkload, type WorkloadEntry } from '../../workloads/catalog.js';

/**
 * A workload named in a sweep file: a catalog name (`bench-gups`) or a path to an ELF, which a
 * sweep file gives relative to itself (the catalog resolves paths from the working directory).
 */
export interface WorkloadRef {
  /** The catalog name, or the ELF's base name without .elf. */
  name: string;
  /** Path of the ELF. */
  elf: string;
  /** The catalog entry, whose parameters a point's run.params are checked against. */
  entry: WorkloadEntry | undefined;
}

export function resolveSweepWorkload(ref: string, sweepDir: string): WorkloadRef {
  const path = looksLikePath(ref) && !isAbsolute(ref) ? resolve(sweepDir, ref) : ref;
  const w = resolveWorkload(path);
  return { ...w, entry: findWorkload(path) };
}

/** What is not a catalog name: catalog names are lower-case words joined by '-'. */
function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.endsWith('.elf');
}
