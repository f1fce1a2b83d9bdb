import { z } from 'zod';

/**
 * Parameters of the five-stage in-order pipeline (IF ID EX MEM WB). Costs of serialising
 * events are in cycles added after the event's instruction leaves the pipeline.
 */
export const pipelineSchema = z
  .object({
    forwarding: z.boolean().default(true).describe('Full forwarding (EX/MEM and MEM/WB to EX). Off: a consumer waits until its producer has written back.'),
    mulLatency: z.number().int().min(1).max(64).default(3).describe('Cycles from a multiply entering EX until its result can be forwarded.'),
    mulPipelined: z.boolean().default(true).describe('A new multiply may enter EX every cycle; otherwise it waits until the previous one has finished.'),
    divLatency: z.number().int().min(1).max(256).default(20).describe('Cycles from a divide/remainder entering EX until its result can be forwarded.'),
    divPipelined: z.boolean().default(false).describe('A new divide may enter EX every cycle (otherwise the divider is busy for divLatency cycles).'),
    branchResolveStage: z
      .enum(['ID', 'EX', 'MEM'])
      .default('EX')
      .describe('Stage that resolves branches and JALR; a misprediction refetches after it (penalty 1, 2 or 3 cycles plus fetch).'),
    trapPenalty: z.number().int().min(0).max(1000).default(4).describe('Extra cycles for taking a trap or interrupt (flush and redirect to the vector).'),
    xretPenalty: z.number().int().min(0).max(1000).default(3).describe('Extra cycles for MRET/SRET (flush and redirect).'),
    fencePenalty: z.number().int().min(0).max(1000).default(1).describe('Extra cycles for FENCE (drain the store buffer).'),
    fenceIPenalty: z.number().int().min(0).max(1000).default(4).describe('Extra cycles for FENCE.I (flush the pipeline and the L1I).'),
    vmaFencePenalty: z.number().int().min(0).max(1000).default(4).describe('Extra cycles for SFENCE.VMA, HFENCE.*, SINVAL/HINVAL (flush the pipeline; TLB costs come from the TLB model).'),
    csrPenalty: z.number().int().min(0).max(1000).default(2).describe('Extra cycles for a CSR instruction that writes (serialises the pipeline).'),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineSchema>;
