// The benchmark runner: `npm run bench` (build, then this), `npm run bench -- --quick` for a short run,
// `-- --only <prefix>` to run the rows whose name starts with a prefix.
//
// Every module in bench/suites/ is a suite; adding one is adding a file. A suite exports
//   async function setup({ quick }) -> { rows, teardown }
// where each row is
//   { name, unit, better: 'higher' | 'lower', target?, ours(): Promise<number>, baseline(): Promise<number> }
// and `ours`/`baseline` each measure one round and return its figure. The runner interleaves the two
// (alternating which goes first), takes the median of the rounds (with min and max), prints a table and
// writes bench/results.json.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { measureRow } from './lib/measure.mjs';
import { formatTable } from './lib/table.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : argv[onlyAt + 1];
const rounds = quick ? 5 : 9;

const suitesDir = new URL('./suites/', import.meta.url);
const files = (await readdir(suitesDir)).filter((f) => f.endsWith('.mjs')).sort();
const results = [];
const started = performance.now();

for (const file of files) {
  const suite = await import(new URL(file, suitesDir).href);
  const { rows, teardown } = await suite.setup({ quick });
  try {
    for (const row of rows) {
      if (only !== undefined && !row.name.startsWith(only)) continue;
      process.stderr.write(`  ${row.name} ...`);
      const result = await measureRow(row, rounds);
      process.stderr.write(` ${result.ours} vs ${result.baseline} ${row.unit}\n`);
      results.push(result);
    }
  } finally {
    await teardown();
  }
}

console.log(formatTable(results));
console.log(`\n${rounds} rounds per row, ${quick ? 'quick' : 'full'} run, ${((performance.now() - started) / 1000).toFixed(1)} s`);
// A partial run (--only) updates its rows and keeps the others, so results.json always holds every row.
const file = new URL('./results.json', import.meta.url);
let merged = results;
if (only !== undefined) {
  const previous = JSON.parse(await readFile(file, 'utf8').catch(() => '[]'));
  const fresh = new Set(results.map((r) => r.name));
  merged = [...previous.filter((r) => !fresh.has(r.name)), ...results];
}
await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`);
