/**
 * The README's examples type-check against the API (test/types/readme-examples.ts,
 * compiled with test/types/tsconfig.json): `tsc --noEmit` reports no errors.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

it('the README examples compile with no type errors', async () => {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const out = await run(process.execPath, [tsc, '-p', 'test/types/tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root }).catch((e: { stdout: string; stderr: string }) => e);
  expect(`${out.stdout}${out.stderr}`).toBe('');
}, 120_000);
