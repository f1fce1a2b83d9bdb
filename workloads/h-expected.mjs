#!/usr/bin/env node
/**
 * Turns QEMU 7.2's UART output of an h-* program into the spec-correct expected output
 * (expected/NAME.uart): every failing check listed for that program in
 * expected/h-qemu-divergences.json (QEMU disagrees with the spec there) becomes an `ok` line, and
 * the summary line is recounted.
 *
 *   node workloads/h-expected.mjs NAME QEMU_OUTPUT_FILE > workloads/expected/NAME.uart
 *
 * Exits 1 (writing nothing) when a failing check is not in the list (a new QEMU divergence, or a
 * bug in the program: decide which and fix the program or add an entry with its spec sentence)
 * or when a listed check of NAME passed or is missing (a stale entry).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [program, qemuFile] = process.argv.slice(2);
if (!program || !qemuFile) {
  console.error('usage: node h-expected.mjs NAME QEMU_OUTPUT_FILE');
  process.exit(2);
}

const divergences = JSON.parse(readFileSync(join(here, 'expected', 'h-qemu-divergences.json'), 'utf8'));
const listed = new Set(divergences.filter((d) => d.program === program).map((d) => d.check));
const lines = readFileSync(qemuFile, 'latin1').split('\n');

// check.c prints "ok N name" or "FAIL N name: got 0x... want 0x...", then "NAME: C checks, F failed".
const failLine = /^FAIL (\d+) (.*): got 0x[0-9a-f]+ want 0x[0-9a-f]+$/;
const summaryLine = new RegExp(`^${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d+) checks, (\\d+) failed$`);
const errors = [];
const rewritten = new Set();
let remaining = 0;
let sawSummary = false;

const out = lines.map((line) => {
  const fail = failLine.exec(line);
  if (fail) {
    const [, number, name] = fail;
    if (listed.has(name)) {
      rewritten.add(name);
      return `ok ${number} ${name}`;
    }
    remaining++;
    errors.push(`not a listed QEMU divergence: ${line}`);
    return line;
  }
  const summary = summaryLine.exec(line);
  if (summary) {
    sawSummary = true;
    return `${program}: ${summary[1]} checks, ${remaining} failed`;
  }
  return line;
});

for (const name of listed) if (!rewritten.has(name)) errors.push(`stale divergence entry (the check did not fail on QEMU): ${program}: ${name}`);
if (!sawSummary) errors.push(`no summary line "${program}: N checks, N failed" in ${qemuFile}`);
if (errors.length > 0) {
  for (const e of errors) console.error(`h-expected: ${e}`);
  process.exit(1);
}
process.stdout.write(out.join('\n'));
