/**
 * `lnlab start`: one command from a fresh clone to a running workshop.
 * For now it brings up the regtest chain and says what comes next.
 */
import { startRegtest } from '../chain/regtest/launcher.js';
import { INFO, OK, say } from './output.js';

export async function startCommand(): Promise<number> {
  say(`${INFO}starting the regtest chain…`);
  const status = await startRegtest();
  say(`${OK} regtest node ready at ${status.url}${status.started ? '' : ' (already running)'}`);
  say('   Next: open notebooks/ in Jupyter with the TypeScript kernel, or run `npm test`.');
  return 0;
}
