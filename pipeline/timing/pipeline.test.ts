import { describe, expect, it } from 'vitest';
import { StatRegistry } from '../../common/stats.js';
import { Kind, PipelineModel, Stall } from './pipeline.js';
import { pipelineSchema, type PipelineConfig } from './timing-config.js';

function model(over: Partial<PipelineConfig> = {}): PipelineModel {
  return new PipelineModel(pipelineSchema.parse(over), null);
}
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
/** A plain instruction: no stalls, mode M. */
function op(p: PipelineModel, kind: Kind, rd: number, rs1 = 0, rs2 = 0, memStall = 0, mispredicted = false): number {
  return p.insn(kind, rd, rs1, rs2, 0, Stall.ICache, 0, memStall, Stall.DCache, 0, mispredicted ? 2 : 0, 0);
}

describe('five-stage pipeline timing (issue 4: analytic answers)', () => {
  it('a dependent ALU chain runs at CPI 1 with full forwarding (EX->EX): N instructions take N + 3 cycles (pipeline fill)', () => {
    const p = model();
    for (let i = 0; i < 1000; i++) op(p, Kind.Alu, 5, 5);
    expect(p.now).toBe(1000 + 3);
    expect(p.stack[Stall.Base]).toBe(1003);
  });

  it('without forwarding a dependent ALU chain waits for write-back: CPI 3', () => {
    const p = model({ forwarding: false });
    for (let i = 0; i < 100; i++) op(p, Kind.Alu, 5, 5);
    expect(p.now).toBe(4 + 99 * 3);
  });

  it('a load-use chain costs one bubble per load (CPI 2), charged to loadUse', () => {
    const p = model();
    for (let i = 0; i < 100; i++) op(p, Kind.Load, 5, 5);
    expect(p.now).toBe(4 + 99 * 2);
    expect(p.stack[Stall.LoadUse]).toBe(99);
  });

  it('independent loads do not stall (CPI 1)', () => {
    const p = model();
    for (let i = 0; i < 100; i++) op(p, Kind.Load, 5 + (i % 3), 2);
    expect(p.now).toBe(103);
  });

  it('a dependent divide chain runs at CPI = divLatency; independent divides on an unpipelined divider too', () => {
    const dep = model({ divLatency: 20 });
    for (let i = 0; i < 50; i++) op(dep, Kind.Div, 5, 5, 6);
    expect(dep.now).toBe(4 + 49 * 20);
    expect(dep.stack[Stall.LongLatency]).toBe(49 * 19);
    const ind = model({ divLatency: 20, divPipelined: false });
    for (let i = 0; i < 50; i++) op(ind, Kind.Div, 7 + (i % 2), 5, 6);
    expect(ind.now).toBe(4 + 49 * 20);
    const piped = model({ divLatency: 20, divPipelined: true });
    for (let i = 0; i < 50; i++) op(piped, Kind.Div, 7 + (i % 2), 5, 6);
    expect(piped.now).toBe(4 + 49);
  });

  it('independent ALU work flows past a long divide (scoreboard), the consumer waits for it', () => {
    const p = model({ divLatency: 10 });
    op(p, Kind.Div, 5, 1, 2); // e = 2, result at 12
    for (let i = 0; i < 5; i++) op(p, Kind.Alu, 6, 7);
    op(p, Kind.Alu, 8, 5); // needs x5: e >= 12
    expect(p.now).toBe(12 + 2);
  });

  it('a misprediction resolved in EX costs 2 cycles, in MEM 3, in ID 1 (charged to branch)', () => {
    for (const [stage, penalty] of [['ID', 1], ['EX', 2], ['MEM', 3]] as const) {
      const p = model({ branchResolveStage: stage });
      for (let i = 0; i < 10; i++) op(p, Kind.Branch, 0, 1, 2, 0, true);
      expect(p.now, stage).toBe(4 + 9 * (1 + penalty));
      expect(p.stack[Stall.Base], stage).toBe(10 + 3);
      expect(p.stack[Stall.Branch], stage).toBe(9 * penalty);
    }
  });

  it('a front-end redirect (decode fixes the fetch) costs 1 cycle', () => {
    const p = model();
    for (let i = 0; i < 10; i++) p.insn(Kind.Jump, 0, 0, 0, 0, Stall.ICache, 0, 0, Stall.DCache, 0, 1, 0);
    expect(p.now).toBe(4 + 9 * 2);
    expect(p.stack[Stall.Branch]).toBe(9);
  });

  it('D-side and I-side stalls add their cycles and are charged to their causes', () => {
    const p = model();
    op(p, Kind.Alu, 1);
    p.insn(Kind.Alu, 3, 0, 0, 12, Stall.ITlb, 0, 0, Stall.DCache, 0, 0, 0);
    expect(p.now).toBe(4 + 13);
    expect(p.stack[Stall.ITlb]).toBe(12);
    op(p, Kind.Load, 2, 1, 0, 30);
    expect(p.stack[Stall.DCache]).toBe(30);
  });

  it('a D-side stall split between the DTLB (walk) and the caches charges each its own share', () => {
    const p = model();
    op(p, Kind.Alu, 1);
    p.insn(Kind.Load, 2, 1, 0, 0, Stall.ICache, 0, 50, Stall.DCache, 14, 0, 0);
    expect(p.stack[Stall.DTlb]).toBe(14);
    expect(p.stack[Stall.DCache]).toBe(36);
    const q = model();
    op(q, Kind.Alu, 1);
    q.insn(Kind.Alu, 3, 0, 0, 20, Stall.ICache, 5, 0, Stall.DCache, 0, 0, 0);
    expect(q.stack[Stall.ITlb]).toBe(5);
    expect(q.stack[Stall.ICache]).toBe(15);
  });

  it('an I-side stall overlapped by an earlier D-side stall costs nothing extra (in-order overlap)', () => {
    const p = model();
    op(p, Kind.Load, 2, 1, 0, 30);
    p.insn(Kind.Alu, 3, 0, 0, 12, Stall.ITlb, 0, 0, Stall.DCache, 0, 0, 0);
    expect(p.stack[Stall.ITlb]).toBe(0);
    expect(p.now).toBe(4 + 30 + 1);
  });

  it('serialising events, traps and WFI idle are charged to their categories', () => {
    const p = model({ trapPenalty: 4 });
    op(p, Kind.Alu, 1);
    p.serialize(2, Stall.Csr);
    op(p, Kind.Alu, 2);
    p.trap(4, 0);
    op(p, Kind.Alu, 3);
    p.idleUntil(p.now + 100, 0);
    op(p, Kind.Alu, 4);
    expect(p.stack[Stall.Csr]).toBeGreaterThan(0);
    expect(p.stack[Stall.Trap]).toBeGreaterThan(4);
    expect(p.stack[Stall.Wfi]).toBe(100);
  });

  it('the CPI stack and the per-mode cycles sum to the cycle count exactly, for a random mix (issue 4)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 1000) / 1000;
    const p = new PipelineModel(pipelineSchema.parse({}), new StatRegistry().scope('timing'));
    for (let i = 0; i < 20000; i++) {
      const r = rnd();
      const kind = r < 0.4 ? Kind.Alu : r < 0.6 ? Kind.Load : r < 0.7 ? Kind.Store : r < 0.8 ? Kind.Branch : r < 0.9 ? Kind.Mul : Kind.Div;
      const fetch = rnd() < 0.05 ? Math.floor(rnd() * 40) : 0;
      const mem = kind === Kind.Load || kind === Kind.Store ? (rnd() < 0.1 ? Math.floor(rnd() * 60) : 0) : 0;
      const fetchTlb = Math.floor(rnd() * (fetch + 1));
      const memTlb = Math.floor(rnd() * (mem + 1));
      p.insn(kind, 1 + Math.floor(rnd() * 8), Math.floor(rnd() * 9), Math.floor(rnd() * 9), fetch, rnd() < 0.5 ? Stall.ICache : Stall.ITlb, fetchTlb, mem, rnd() < 0.5 ? Stall.DCache : Stall.DTlb, memTlb, kind === Kind.Branch && rnd() < 0.3 ? 2 : rnd() < 0.05 ? 1 : 0, Math.floor(rnd() * 5));
      if (rnd() < 0.01) p.trap(4, 0);
      if (rnd() < 0.01) p.serialize(3, Stall.Fence);
      if (rnd() < 0.002) p.idleUntil(p.now + 50, 1);
    }
    expect(sum(p.stack)).toBe(p.now);
    expect(sum(p.modeCycles)).toBe(p.now);
    expect(sum(p.modeInsns)).toBe(20000);
  });
});
