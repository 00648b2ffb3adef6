/** Runs the real `lnlab` command in a child process, as a learner would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/internal.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runLnlab(args: string[], env: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(cwd, 'bin', 'lnlab.js'), ...args],
      { cwd, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
