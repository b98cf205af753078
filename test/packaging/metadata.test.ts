/**
 * The package's registry metadata and what the tarball ships: a license file that matches `license`,
 * where the source lives and where to report bugs (consistent with each other), and the keywords people
 * search for. Reads package.json and asks `npm pack --dry-run` for the file list (nothing is written).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  license: string;
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  keywords: string[];
  files: string[];
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('package metadata', () => {
  it('ships an MIT LICENSE file in the tarball, as `license` says', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license.startsWith('MIT License')).toBe(true);
    expect(license).toMatch(/^Copyright \(c\) \d{4} threadvisor contributors$/m);
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(packed.status).toBe(0);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }];
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
  }, 60_000);

  it('names the repository, and a homepage and bug tracker on the same repository', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/threadvisor/threadvisor.git' });
    const web = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(pkg.homepage).toBe(`${web}#readme`);
    expect(pkg.bugs).toEqual({ url: `${web}/issues` });
  });

  it('has the keywords a search for supervision trees would use', () => {
    expect(pkg.keywords).toEqual(['supervisor', 'otp', 'erlang', 'worker_threads', 'actor', 'let-it-crash', 'fault-tolerance', 'supervision-tree']);
  });
});
