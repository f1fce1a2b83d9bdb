import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // The QEMU differential suite has its own config (npm run test:qemu).
    exclude: ['node_modules/**', 'dist/**', '**/*.qemu.test.ts'],
    testTimeout: 60_000,
  },
});
