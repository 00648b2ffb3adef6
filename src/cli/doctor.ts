/** `lnlab doctor`: one line per check, ✅ / ⚠️ / ❌, with the fix. Exits 1 when any check fails. */
import { runDoctor, type CheckStatus } from '../workshop/setup/doctor.js';
import { FAIL, OK, say, WARN } from './output.js';
import { type Command, UsageError } from './usage.js';

const MARK: Record<CheckStatus, string> = { ok: OK, warn: WARN, fail: FAIL };

export const DOCTOR_USAGE = `lnlab doctor

Checks what the workshop needs, one line each: Node.js, the dependencies, the kernel, Jupyter, the
regtest node, whether the workshop is running, ports, the workspace and disk space.
✅ is fine, ⚠️  is fine for now (\`npm start\` sees to it), ❌ needs you: each line says how to fix it.
Exit code 0 when nothing is ❌, 1 otherwise.`;

export async function doctorCommand(args: string[] = []): Promise<number> {
  if (args.length > 0) throw new UsageError(`lnlab doctor: takes no arguments, got "${args.join(' ')}"`, DOCTOR_USAGE);
  const { results, workshop } = await runDoctor();
  for (const result of results) {
    say(`${MARK[result.status]} ${result.name}: ${result.detail}`);
    if (result.fix) say(`   → ${result.fix}`);
  }
  const failed = results.filter((result) => result.status === 'fail').length;
  say();
  if (failed > 0) say(`${FAIL} ${failed} check(s) failed; fix them and run \`npx lnlab doctor\` again`);
  else if (workshop.state === 'running') say(`${OK} the workshop is running: open ${workshop.record.jupyter!.url}`);
  else say(`${OK} ready for the workshop: run \`npm start\``);
  return failed === 0 ? 0 : 1;
}

/** `lnlab doctor`, for the command table in `main.ts`. */
export const DOCTOR_COMMAND: Command = {
  synopsis: 'doctor',
  summary: 'check the set-up; says how to fix what is wrong',
  usage: DOCTOR_USAGE,
  run: doctorCommand,
};
