/** Small helpers for what the `lnlab` command prints. Learner-facing: friendly, precise, short. */
export const OK = '✅';
export const FAIL = '❌';
export const WARN = '⚠️ ';
export const INFO = 'ℹ️ ';
/** Something is being waited for (a node still starting); progress follows. */
export const WAIT = '⏳ ';

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function complain(line: string): void {
  process.stderr.write(`${line}\n`);
}
