/**
 * `instanceof` across the two builds of the package in one process. An ESM app whose CommonJS dependency
 * also uses threadvisor loads both `dist/index.js` and `dist/index.cjs`, each with its own error classes;
 * an error from one copy must still be an instance of the other copy's classes (by the brand every
 * threadvisor error carries under `Symbol.for('threadvisor.error')`), and nothing else may be.
 * `threadvisor/worker` is a third copy of the classes it exports (what calls between actors reject with):
 * its errors and the main entry's match both ways too.
 * The copies load in a child process (jest's module registry is not Node's). Needs dist/ (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Checks = Record<string, Record<'ThreadvisorError' | 'CallTimeoutError' | 'ActorCrashedError' | 'ChildNotFoundError' | 'InvalidSpecError' | 'Error', boolean>>;
interface Outcome {
  distinctCopies: boolean;
  workerErrorClasses: string[];
  distinctWorkerCopy: boolean;
  workerErrorsAgainstEsmClasses: Checks;
  esmErrorsAgainstWorkerClasses: Record<string, Record<'ThreadvisorError' | 'CallTimeoutError' | 'ActorCrashedError', boolean>>;
  esmErrorsAgainstCjsClasses: Checks;
  cjsErrorsAgainstEsmClasses: Checks;
  impostorsAgainstEsm: Checks;
  impostorsAgainstCjs: Checks;
  userSubclass: { ownInstance: boolean; ownInstanceOfCjsClass: boolean; cjsInstance: boolean };
  primitives: boolean[];
  codes: { esm: string; cjs: string; instance: string };
}

/** Only the classes named are true: the rest of the row is false. */
function only(...classes: string[]): Record<string, boolean> {
  const row: Record<string, boolean> = { ThreadvisorError: false, CallTimeoutError: false, ActorCrashedError: false, ChildNotFoundError: false, InvalidSpecError: false, Error: false };
  for (const c of classes) row[c] = true;
  return row;
}

/** What every error made by one copy must be among the other copy's classes: its own class and the base, no other. */
const FOREIGN_ERRORS = {
  refused: only('ThreadvisorError', 'InvalidSpecError', 'Error'),
  base: only('ThreadvisorError', 'Error'),
  timeout: only('ThreadvisorError', 'CallTimeoutError', 'Error'),
  crashed: only('ThreadvisorError', 'ActorCrashedError', 'Error'),
  notFound: only('ThreadvisorError', 'ChildNotFoundError', 'Error'),
};

/** A plain Error, an Error with a threadvisor code, a plain object with one: no threadvisor error at all. */
const IMPOSTORS = { plain: only('Error'), coded: only('Error'), object: only() };

let outcome: Outcome;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  const run = spawnSync(process.execPath, [join(root, 'test', 'fixtures', 'cross-copy-errors.mjs')], {
    cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 20_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  outcome = JSON.parse(run.stdout) as Outcome;
});

describe('threadvisor errors loaded from the ESM and the CommonJS build in one process', () => {
  it('are two copies with distinct classes (so the ordinary prototype check alone fails)', () => {
    expect(outcome.distinctCopies).toBe(true);
  });

  it('an error of the ESM copy is an instance of the CommonJS copy\'s base and own class, and of no other', () => {
    expect(outcome.esmErrorsAgainstCjsClasses).toEqual(FOREIGN_ERRORS);
  });

  it('an error of the CommonJS copy is an instance of the ESM copy\'s base and own class, and of no other', () => {
    expect(outcome.cjsErrorsAgainstEsmClasses).toEqual(FOREIGN_ERRORS);
  });

  it('an unrelated Error, one carrying a threadvisor code, or a look-alike object is no threadvisor error in either copy', () => {
    expect(outcome.impostorsAgainstEsm).toEqual(IMPOSTORS);
    expect(outcome.impostorsAgainstCjs).toEqual(IMPOSTORS);
    expect(outcome.primitives).toEqual([false, false, false, false]);
  });

  it('a user\'s subclass keeps the prototype check: its instances are the other copy\'s CallTimeoutError, not the reverse', () => {
    expect(outcome.userSubclass).toEqual({ ownInstance: true, ownInstanceOfCjsClass: true, cjsInstance: false });
  });

  it('threadvisor/worker exports the errors of calls between actors, a third copy that matches the main entry both ways', () => {
    expect(outcome.workerErrorClasses.sort()).toEqual([
      'ActorCrashedError', 'ActorStoppedError', 'CallCycleError', 'CallTimeoutError', 'ChildUnavailableError', 'DataCloneError',
      'InvalidSpecError', 'NoTreeError', 'ThreadvisorError', 'UnknownMethodError',
    ]);
    expect(outcome.distinctWorkerCopy).toBe(true);
    expect(outcome.workerErrorsAgainstEsmClasses).toEqual({ base: FOREIGN_ERRORS.base, timeout: FOREIGN_ERRORS.timeout, crashed: FOREIGN_ERRORS.crashed });
    expect(outcome.esmErrorsAgainstWorkerClasses).toEqual({
      base: { ThreadvisorError: true, CallTimeoutError: false, ActorCrashedError: false },
      timeout: { ThreadvisorError: true, CallTimeoutError: true, ActorCrashedError: false },
      crashed: { ThreadvisorError: true, CallTimeoutError: false, ActorCrashedError: true },
    });
  });

  it('keeps the stable codes, on each class and on its instances', () => {
    expect(outcome.codes).toEqual({ esm: 'ERR_CALL_TIMEOUT', cjs: 'ERR_CALL_TIMEOUT', instance: 'ERR_CALL_TIMEOUT' });
  });
});
