/**
 * The Python that has NumPy, for the tests that cross-check files with it: the first
 * `python3` on the PATH when it imports numpy (a pyenv or venv Python may), else
 * Debian's /usr/bin/python3, which is where `apt-get install python3-numpy` (as
 * .ci/run does) puts it.
 */
import { execFileSync } from 'node:child_process';

function hasNumpy(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const PYTHON = ['python3', '/usr/bin/python3'].find(hasNumpy) ?? 'python3';
