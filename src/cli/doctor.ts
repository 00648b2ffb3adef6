/** `lnlab doctor`: one line per check, ✅ / ⚠️ / ❌, with the fix. Exits 1 when any check fails. */
import { runDoctor, type CheckStatus } from '../workshop/setup/doctor.js';
import { FAIL, OK, say, WARN } from './output.js';

const MARK: Record<CheckStatus, string> = { ok: OK, warn: WARN, fail: FAIL };

export async function doctorCommand(): Promise<number> {
  const results = await runDoctor();
  for (const result of results) {
    say(`${MARK[result.status]} ${result.name}: ${result.detail}`);
    if (result.fix) say(`   → ${result.fix}`);
  }
  const failed = results.filter((result) => result.status === 'fail').length;
  say();
  say(failed === 0 ? `${OK} ready for the workshop: run \`npm start\`` : `${FAIL} ${failed} check(s) failed; fix them and run \`npx lnlab doctor\` again`);
  return failed === 0 ? 0 : 1;
}
