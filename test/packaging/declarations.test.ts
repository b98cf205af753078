/**
 * The published declaration files name only types every supported `@types/node` declares. A user's
 * project type-checks our `.d.ts` files against its own `@types/node` (with `skipLibCheck` off, the
 * default), so one type name that a newer `@types/node` dropped breaks their build: `TransferListItem`
 * left `node:worker_threads` in @types/node 26 (use `Transferable`, in 20 and 26 alike). Needs dist/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

/** Names some @types/node version in the range we support does not export. */
const DROPPED = ['TransferListItem'];

describe('the published declaration files', () => {
  it('use no type name that a supported @types/node lacks', () => {
    const files = readdirSync(dist).filter((f) => /\.d\.c?ts$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((f) => {
      const text = readFileSync(join(dist, f), 'utf8');
      return DROPPED.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).map((name) => `${f}: ${name}`);
    });
    expect(offending).toEqual([]);
  });
});
