// Property-testing a supervision tree with threadvisor/testing: no threads, a virtual clock, thousands of
// runs. The property: "a worker stuck in a crash loop must make its supervisor give up (escalate) within
// 10 seconds". fast-check finds that the first configuration lets the loop spin forever (its backoff keeps
// the restart rate under the intensity limit), prints a counterexample you can paste into a test, and the
// fixed configuration passes. Then generated trees and fault schedules (the arbitraries, from their own
// entry point: the only part of the kit that needs fast-check) check that every tree ends with nothing
// left running. Exits 0 when all three turn out as described.
import fc from 'fast-check';
import { simulate, formatScenario } from 'threadvisor/testing';
import { scenarioArbitrary } from 'threadvisor/testing/arbitraries';

const tree = (storage) => ({
  strategy: 'one_for_one',
  children: [
    { type: 'worker', id: 'api', module: 'sim:api' },
    { type: 'supervisor', id: 'storage', ...storage, children: [{ type: 'worker', id: 'db', module: 'sim:db' }] },
  ],
});

// 5 restarts a second sounds strict, but a 300 ms backoff caps the rate at about 3.3 a second: never caught.
const misconfigured = tree({ maxRestarts: 5, periodMs: 1000, backoff: { initialMs: 300, maxMs: 300 } });
const fixed = tree({ maxRestarts: 3, periodMs: 5000, backoff: { initialMs: 300, maxMs: 300 } });

/** A crash loop: from `start`, the db crashes every `everyMs` for 20 virtual seconds. */
const crashLoop = fc.record({ start: fc.integer({ min: 0, max: 2000 }), everyMs: fc.integer({ min: 1, max: 1000 }) });

function escalatesInTime(spec) {
  return ({ start, everyMs }) => {
    const faults = [];
    for (let at = start; at < start + 20_000; at += everyMs) faults.push({ at, path: 'storage/db', fault: 'crash', reason: 'error' });
    const { trace } = simulate(spec, faults, { untilMs: start + 30_000 });
    const gaveUp = trace.find((e) => e.sup === 'storage' && e.type === 'intensity_exceeded');
    if (gaveUp === undefined || gaveUp.t > start + 10_000) {
      throw new Error(`the crash loop was not stopped within 10 s\n${formatScenario({ spec, faults: faults.slice(0, 4), seed: 1 })}\n// ...and one crash every ${everyMs} ms until ${start + 20_000}`);
    }
  };
}

const bad = fc.check(fc.property(crashLoop, escalatesInTime(misconfigured)), { numRuns: 200, seed: 7 });
console.log(`misconfigured tree: ${bad.failed ? 'property FAILED, as expected' : 'property held (unexpected!)'}`);
if (bad.failed) console.log(`shrunk counterexample: ${JSON.stringify(bad.counterexample)}\n${bad.errorInstance?.message ?? ''}\n`);

const good = fc.check(fc.property(crashLoop, escalatesInTime(fixed)), { numRuns: 200, seed: 7 });
console.log(`fixed tree: ${good.failed ? `property FAILED (unexpected!): ${good.errorInstance?.message}` : 'property held over 200 crash loops'}`);

// Any tree, any failure history: after the final stop nothing is left running and no restart is pending.
const clean = fc.check(
  fc.property(scenarioArbitrary({ maxDepth: 3, maxFaults: 12 }), (scenario) => {
    const { running, pendingTimers } = simulate(scenario.spec, scenario.faults, { seed: scenario.seed });
    if (running.length > 0 || pendingTimers > 0) throw new Error(`left running: ${running.join(', ')}\n${formatScenario(scenario)}`);
  }),
  { numRuns: 200, seed: 7 },
);
console.log(`generated trees: ${clean.failed ? `property FAILED (unexpected!): ${clean.errorInstance?.message}` : 'nothing left running after 200 random failure histories'}`);

process.exitCode = bad.failed && !good.failed && !clean.failed ? 0 : 1;
