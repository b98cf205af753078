import { defineConfig } from 'tsup';

const common = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  sourcemap: true,
  target: 'node20',
  // No `clean`: the two builds run in parallel and must not wipe each other; `npm run build` clears dist/.
  clean: false,
  platform: 'node' as const,
  // fast-check is an optional peer dependency: only the `testing-arbitraries` entry imports it, so
  // `threadvisor/testing` loads (and type-checks) without it. test/packaging checks that on the tarball.
  // prom-client likewise: only the `metrics` entry imports it (and the health server, on demand).
  external: ['fast-check', 'prom-client'],
};

export default defineConfig([
  // The main-thread entries share chunks.
  {
    ...common,
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', 'testing-arbitraries': 'src/testing/arbitraries.ts', metrics: 'src/metrics/index.ts' },
    splitting: true,
  },
  // The worker entry is one file: every thread loads it at start, and each extra chunk costs a start.
  { ...common, entry: { worker: 'src/worker/index.ts' }, splitting: false },
]);
