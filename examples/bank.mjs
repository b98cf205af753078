// A bank in the OTP style: a journal, a bank that rebuilds its balances from the journal at every start,
// tellers that call the bank by its registered name over direct channels between their threads, and an
// auditor that monitors the bank. A bad payment crashes the bank in the middle of a teller's call; the
// teller gets ActorCrashedError at once, the supervisor restarts the bank, which replays the journal, the
// auditor gets a down notice, and nothing committed is lost. Exits 0 when all of that held, 1 otherwise.
import { pino } from 'pino';
import { startSupervisor, supervisor, worker } from 'threadvisor';

const at = (file) => new URL(`./workers/${file}`, import.meta.url);

const sup = await startSupervisor(
  {
    strategy: 'one_for_one',
    maxRestarts: 3,
    periodMs: 10_000,
    children: [
      // The books: the bank depends on its journal (rest_for_one: a new journal means a new bank).
      supervisor({
        id: 'books',
        strategy: 'rest_for_one',
        children: [
          worker({ id: 'journal', registeredName: 'journal', module: at('journal.worker.mjs') }),
          worker({ id: 'bank', registeredName: 'bank', module: at('bank.worker.mjs') }),
        ],
      }),
      // Tellers and the auditor reach the bank by name at each call: a new bank needs no new teller.
      worker({ id: 'teller-1', module: at('teller.worker.mjs') }),
      worker({ id: 'teller-2', module: at('teller.worker.mjs') }),
      worker({ id: 'auditor', module: at('auditor.worker.mjs') }),
    ],
  },
  // The bank's crash report would be a JSON line on stderr; this example narrates instead.
  { logger: pino({ level: 'silent' }) },
);

const failures = [];
const check = (what, ok) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const teller1 = sup.ref('teller-1');
const teller2 = sup.ref('teller-2');

check('alice pays bob 30', (await teller1.call('pay', 'alice', 'bob', 30)).ok === true);
check('bob pays carol 20', (await teller2.call('pay', 'bob', 'carol', 20)).ok === true);
check('carol cannot pay 500 (an expected failure, a value)', (await teller2.call('pay', 'carol', 'alice', 500)).error === 'insufficient funds');

// The injected crash: a payment whose amount is not a number crashes the bank during the teller's call.
const restarted = new Promise((resolve) => sup.once('child:restarted', resolve));
const crashed = await teller1.call('pay', 'alice', 'carol', 'ten');
check('the teller learns at once that the bank crashed during the payment', crashed.crashed === true);
const restart = await restarted;
check('the supervisor restarted the bank', restart.id === 'bank');

// The restarted bank replayed the journal: both committed payments are still there.
const balances = await sup.ref('bank').call('balances');
check(`balances survived the crash: ${JSON.stringify(balances)}`, balances.alice === 70 && balances.bob === 60 && balances.carol === 20);
check('the tellers reach the new bank by the same name', (await teller2.call('pay', 'alice', 'carol', 5)).ok === true);

const downs = await sup.ref('auditor').call('downs');
check(`the auditor got one down notice with the crash: ${JSON.stringify(downs)}`, downs.length === 1 && downs[0].reason === 'error' && downs[0].incarnation === 1);

await sup.stop();
console.log(failures.length === 0 ? 'the bank kept its books through the crash' : `${failures.length} check(s) failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
