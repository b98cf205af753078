// Registered names as spec checks: unique in the whole tree, told apart from paths, refused where they
// cannot work; every problem an InvalidSpecError naming the places, before anything starts.
import { describe, expect, it } from '@jest/globals';
import { InvalidSpecError, startDynamicSupervisor, startSupervisor, worker } from '../../src/index.js';
import { fixture, threadsAlive } from '../integration/worker-harness.js';
import { dynamicSupervisor, peer, peerModule, silent, supervisor, useTrees } from './harness.js';

const start = useTrees();

async function refused(run: () => Promise<unknown>): Promise<InvalidSpecError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidSpecError);
  return error as InvalidSpecError;
}

describe('registered names', () => {
  it('refuses a duplicate anywhere in the tree, naming both places, before any thread starts', async () => {
    const error = await refused(() => startSupervisor({
      children: [peer('a', { registeredName: 'bank' }), supervisor({ id: 'inner', children: [peer('c', { registeredName: 'bank' })] })],
    }, { logger: silent }));
    expect(error.issues).toEqual([{ path: 'children.1.children.0.registeredName', message: `expected a registered name unique in the tree; given "bank", already the name of children.0 (path 'a')` }]);
    expect(await threadsAlive()).toBe(0);
  });

  it('refuses a name that is another root child\'s id, and a name with /', async () => {
    const clash = await refused(() => startSupervisor({ children: [peer('a', { registeredName: 'b' }), peer('b')] }, { logger: silent }));
    expect(clash.issues).toEqual([{ path: 'children.0.registeredName', message: expect.stringContaining("the id of the root child 'b'") }]);
    const slash = await refused(() => startSupervisor({ children: [peer('a', { registeredName: 'x/y' })] }, { logger: silent }));
    expect(slash.issues).toEqual([{ path: 'children.0.registeredName', message: expect.stringContaining("a name without '/'") }]);
    for (const name of [' ', '.', '..']) {
      const odd = await refused(() => startSupervisor({ children: [peer('a', { registeredName: name })] }, { logger: silent }));
      expect(odd.issues).toEqual([{ path: 'children.0.registeredName', message: expect.stringContaining("a name with a visible character, other than '.' and '..'") }]);
    }
  });

  it('refuses a name in a dynamic supervisor template', async () => {
    const error = await refused(() => startDynamicSupervisor({ template: { module: peerModule, registeredName: 'x' } as never }, { logger: silent }));
    expect(error.issues[0]).toMatchObject({ path: 'template.registeredName' });
    const nested = await refused(() => startSupervisor({ children: [dynamicSupervisor({ id: 'd', template: { module: peerModule, registeredName: 'x' } as never })] }, { logger: silent }));
    expect(nested.issues[0]).toMatchObject({ path: 'children.0.template.registeredName' });
  });

  it('refuses a duplicate from startChild at run time, in a nested supervisor too, and frees a deleted child\'s name', async () => {
    const sup = await start({ children: [peer('a', { registeredName: 'bank' }), supervisor({ id: 'inner', children: [] })] });
    const error = await refused(() => sup.supervisor('inner').startChild(peer('c', { registeredName: 'bank' })));
    expect(error.issues).toEqual([{ path: 'registeredName', message: `expected a registered name unique in the tree; given "bank", already the name of the child at 'a'` }]);
    const id = await refused(() => sup.startChild(peer('bank')));
    expect(id.issues).toEqual([{ path: 'id', message: expect.stringContaining("the name of the child at 'a'") }]);
    // Once 'a' is gone from the tree, its name is free again.
    await sup.terminateChild('a');
    await sup.deleteChild('a');
    await sup.supervisor('inner').startChild(peer('c', { registeredName: 'bank' }));
    await expect(sup.ref('bank').call('whoami')).resolves.toEqual({ path: 'inner/c', incarnation: 1 });
  });

  it('forgets the names of deleted children and of a failed startChild: the table does not grow under churn', async () => {
    const sup = await start({ children: [peer('a'), supervisor({ id: 'inner', children: [] })] });
    // Internal peek (not public API): the tree's name table.
    const names = (sup as unknown as { root: { tree: { registry: { names: Map<string, string> } } } }).root.tree.registry.names;
    for (let i = 0; i < 5; i++) {
      const here = i % 2 === 0 ? sup : sup.supervisor('inner');
      await here.startChild(peer(`s${i}`, { registeredName: `user-${i}` }));
      expect(names.get(`user-${i}`)).toBe(i % 2 === 0 ? `s${i}` : `inner/s${i}`);
      await here.terminateChild(`s${i}`);
      await here.deleteChild(`s${i}`);
      expect([...names.keys()]).toEqual([]);
    }
    // A start that fails (its module throws on load) keeps no spec, so its name is free again at once.
    await expect(sup.startChild(worker({ id: 'broken', module: fixture('throws-on-load.mjs'), registeredName: 'bank' }))).rejects.toThrow();
    expect([...names.keys()]).toEqual([]);
    await sup.startChild(peer('b', { registeredName: 'bank' }));
    await expect(sup.ref('bank').call('whoami')).resolves.toEqual({ path: 'b', incarnation: 1 });
    expect([...names.entries()]).toEqual([['bank', 'b']]);
  });
});
