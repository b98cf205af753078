import { defineConfig } from 'tsup';

const common = {
  dts: true,
  sourcemap: true,
  target: 'node20',
  // No `clean`: the builds run in parallel and must not wipe each other; `npm run build` clears dist/.
  clean: false,
  platform: 'node' as const,
  // fast-check is an optional peer dependency: only the `testing-arbitraries` entry imports it, so
  // `threadvisor/testing` loads (and type-checks) without it. test/packaging checks that on the tarball.
  // prom-client likewise: only the `metrics` entry imports it (and the health server, on demand).
  external: ['fast-check', 'prom-client'],
};

const library = { index: 'src/index.ts', testing: 'src/testing/index.ts', 'testing-arbitraries': 'src/testing/arbitraries.ts', metrics: 'src/metrics/index.ts' };

export default defineConfig([
  // The main-thread entries share chunks. The ES module build also holds the `threadvisor` executable
  // (dist/cli.js, its shebang kept from src/cli/bin.ts), so the CLI and a tree module that imports
  // `threadvisor` load the same supervisor code once; the CLI needs no CommonJS build nor types.
  { ...common, format: ['esm'], entry: { ...library, cli: 'src/cli/bin.ts' }, dts: { entry: library }, splitting: true },
  { ...common, format: ['cjs'], entry: library, splitting: true },
  // The worker entry is one file: every thread loads it at start, and each extra chunk costs a start.
  { ...common, format: ['esm', 'cjs'], entry: { worker: 'src/worker/index.ts' }, splitting: false },
]);
