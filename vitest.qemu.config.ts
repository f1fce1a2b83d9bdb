import { defineConfig } from 'vitest/config';

/**
 * The differential suite against QEMU (npm run test:qemu). Needs qemu-system-riscv64 (7.2).
 * Each file runs its QEMU processes two at a time itself, so files run one after another.
 */
export default defineConfig({
  test: {
    include: ['**/*.qemu.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
