// The README demo: a small supervision tree that crashes on purpose and shows, in the terminal, a
// restart, a group restart with backoff, an escalation to the root, and an orderly shutdown. It exits by
// itself (0 when everything behaved as described, 1 otherwise).
//
// To watch it live with `threadvisor tree`, set THREADVISOR_HEALTH_PORT (0 picks a free port): the demo
// then serves its tree on a health server, prints the URL, and pauses DEMO_STEP_MS (default 4000) before
// each step, so the watcher has time to draw every state. Without it the demo runs straight through, in
// about a second, as `npm run demo` and CI run it.
import { pino } from 'pino';
import { startHealthServer, startSupervisor, supervisor, worker, formatExitReason } from 'threadvisor';

const module = new URL('./workers/service.worker.mjs', import.meta.url);
const t0 = performance.now();
const say = (line) => console.log(`${String(Math.round(performance.now() - t0)).padStart(5)} ms  ${line}`);

const sup = await startSupervisor(
  {
    strategy: 'one_for_one',
    maxRestarts: 3,
    periodMs: 10_000,
    children: [
      worker({ id: 'cache', module, args: { name: 'cache' } }),
      supervisor({
        id: 'jobs',
        strategy: 'rest_for_one',
        maxRestarts: 1,
        periodMs: 10_000,
        backoff: { initialMs: 200, maxMs: 2000, factor: 2 },
        children: [worker({ id: 'queue', module, args: { name: 'queue' } }), worker({ id: 'consumer', module, args: { name: 'consumer' } })],
      }),
    ],
  },
  // Crash reports are JSON lines for machines; the demo prints its own narration instead.
  { logger: pino({ level: 'silent' }) },
);

sup.on('child:started', (e) => say(`${e.supervisor}: ${e.restart ? 'restarted' : 'started'} ${e.id}${e.threadId === undefined ? ' (a subtree)' : ` (thread ${e.threadId})`}`));
sup.on('child:exited', (e) => say(`${e.supervisor}: ${e.id} exited: ${formatExitReason(e.reason)}`));
sup.on('restart:scheduled', (e) => say(`${e.supervisor}: restart [${e.children.join(', ')}] in ${e.delayMs} ms (attempt ${e.attempt})`));
sup.on('intensity:exceeded', (e) => say(`${e.supervisor}: more than ${e.maxRestarts} restarts in ${e.periodMs} ms: giving up`));
sup.on('escalated', (e) => say(`${e.supervisor}: escalated to ${e.root ? 'the process' : 'its parent'}`));

const next = (event, match) => new Promise((resolve) => {
  const listener = (e) => {
    if (match(e)) {
      sup.off(event, listener);
      resolve(e);
    }
  };
  sup.on(event, listener);
});

const healthPort = process.env.THREADVISOR_HEALTH_PORT;
const watched = healthPort !== undefined && healthPort !== '';
const stepMs = watched ? Number(process.env.DEMO_STEP_MS ?? 4000) : 0;
const pause = () => (stepMs > 0 ? new Promise((resolve) => setTimeout(resolve, stepMs)) : Promise.resolve());
const health = watched ? await startHealthServer(sup, { port: Number(healthPort), logger: pino({ level: 'silent' }) }) : undefined;
if (health !== undefined) {
  say(`health server: ${health.url}  (watch: npx threadvisor tree --url ${health.url} --watch)`);
  say(`pausing ${stepMs} ms before each step`);
}

say('tree started:');
printTree();
await pause();
say(await sup.ref('jobs/consumer').call('serve', 'order 1'));

say('--- 1. a bug crashes the consumer: rest_for_one restarts it alone (it is last), after a 200 ms backoff');
let done = next('child:restarted', (e) => e.id === 'consumer');
sup.ref('jobs/consumer').cast('corrupt');
await done;
say(await sup.ref('jobs/consumer').call('serve', 'order 2'));

await pause();
say('--- 2. the queue crashes too: a second restart within 10 s for "jobs", whose budget is 1,');
say('       so "jobs" stops its children in reverse order and escalates; the root restarts the subtree');
done = next('child:restarted', (e) => e.supervisor === 'root' && e.id === 'jobs');
sup.ref('jobs/queue').cast('corrupt');
await done;
say(await sup.ref('jobs/consumer').call('serve', 'order 3'));

await pause();
say('--- 3. orderly shutdown, in reverse start order');
printTree();
health?.drain();
const reason = await sup.stop();
// Closed after the stop, so a watcher sees the tree end rather than the server vanish first.
await pause();
await health?.close();
say(`root exited: ${formatExitReason(reason)}; metrics: ${JSON.stringify(sup.metrics())}`);
process.exitCode = reason.kind === 'shutdown' ? 0 : 1;

function printTree() {
  const walk = (nodes, depth) => {
    for (const n of nodes) {
      console.log(`${' '.repeat(11 + depth * 2)}${n.type === 'supervisor' ? '+' : '-'} ${n.id} [${n.status}] restarts=${n.restartCount}${n.threadId ? ` thread=${n.threadId}` : ''}`);
      if (n.children) walk(n.children, depth + 1);
    }
  };
  const tree = sup.tree();
  console.log(`${' '.repeat(11)}${tree.name} (${tree.strategy})`);
  walk(tree.children, 1);
}
