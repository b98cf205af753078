/**
 * The published build names its error classes as the sources do. Errors take their `name` from their
 * class (`new.target.name`), and a bundler that renames classes (`_InvalidSpecError`) would mangle every
 * `name`, stack header and pino `err.type` users see. The tests run the sources through ts-jest, so only
 * the built files show it: they load in a child process. Needs dist/ (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const script = `
const esm = await import('threadvisor');
const cjs = (await import('node:module')).createRequire(import.meta.url)('threadvisor');
const out = {};
for (const [label, m] of [['esm', esm], ['cjs', cjs]]) {
  const classes = Object.entries(m).filter(([k, v]) => typeof v === 'function' && /Error$/.test(k));
  out[label] = { mismatched: classes.filter(([k, v]) => v.name !== k).map(([k, v]) => k + ' is named ' + v.name), count: classes.length };
  const thrown = await m.startSupervisor({ children: 'nope' }).catch((e) => e);
  out[label].thrown = { name: thrown.name, header: String(thrown.stack).split('\\n')[0].split(':')[0] };
}
console.log(JSON.stringify(out));
`;

describe('the built error classes', () => {
  it('keep their names in the ESM and the CommonJS build, and so do the errors they throw', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, { mismatched: string[]; count: number; thrown: { name: string; header: string } }>;
    for (const label of ['esm', 'cjs']) {
      expect(out[label]!.count).toBeGreaterThan(15);
      expect(out[label]!.mismatched).toEqual([]);
      expect(out[label]!.thrown).toEqual({ name: 'InvalidSpecError', header: 'InvalidSpecError' });
    }
  });
});
