import { defineConfig } from 'tsup';

const common = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  sourcemap: true,
  target: 'node20',
  // No `clean`: the two builds run in parallel and must not wipe each other; `npm run build` clears dist/.
  clean: false,
  platform: 'node' as const,
  // fast-check is optional for users: only the testing entry needs it.
  external: ['fast-check'],
};

export default defineConfig([
  // The main-thread entries share chunks.
  { ...common, entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' }, splitting: true },
  // The worker entry is one file: every thread loads it at start, and each extra chunk costs a start.
  { ...common, entry: { worker: 'src/worker/index.ts' }, splitting: false },
]);
