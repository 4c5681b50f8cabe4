/**
 * The `minframe` command as `npm start` runs it: the bunny job on a small batch,
 * its summary, and its errors.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('minframe bunny', () => {
  it('canonicalizes rigid copies of the bunny on the pool and reports exact equivariance', () => {
    const r = run('bunny', '--copies', '24', '--threads', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SE\(3\) frames for 24 random rigid copies of the Stanford bunny \(1839 points each\)/);
    expect(r.stdout).toMatch(/frame sizes: +24 of size 1/);
    expect(r.stdout).toMatch(/on 2 worker threads/);
    const max = Number(/max ([0-9.e+-]+)/.exec(r.stdout)![1]);
    expect(max).toBeLessThan(1e-12);
    expect(r.stderr).toMatch(/frames \[#+\] 100% \(24\/24\)/);
  });
  it('usage and bad options', () => {
    expect(run('--help').stdout).toMatch(/^usage: minframe bunny/);
    const bad = run('bunny', '--copies', 'many');
    expect(bad.status).toBe(2); // a usage error
    expect(bad.stderr).toMatch(/unknown or invalid option '--copies many'/);
    expect(run('shuffle').stderr).toMatch(/unknown command 'shuffle'/);
  });
});
