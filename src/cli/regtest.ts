/** `lnlab regtest start|stop|status|mine N|reset`: the learner's embedded regtest node. */
import { BitcoindClient } from '../chain/bitcoind-client.js';
import { rpcConfigFromEnv } from '../chain/config.js';
import { FAUCET_OUTPUT_SCRIPT } from '../chain/regtest/faucet.js';
import { regtestStatus, resetRegtest, startRegtest, stopRegtest, type RegtestStatus } from '../chain/regtest/launcher.js';
import { UsageError } from './usage.js';
import { INFO, OK, say } from './output.js';

export const REGTEST_USAGE = `lnlab regtest <command>

  start      start the embedded regtest node (does nothing if a regtest node already answers)
  stop       stop the embedded regtest node
  status     say which node answers, and its block height
  mine N     mine N blocks (rewards go to the workshop faucet)
  reset      stop the embedded node and delete its chain (the next start begins at block 0)

The node answers JSON-RPC at $LNLAB_RPC_URL (default http://127.0.0.1:18443, user and password "lnlab"),
the same address as docker compose's Bitcoin Core, so one configuration serves both.`;

function describe(status: RegtestStatus): string {
  switch (status.state) {
    case 'embedded':
      return `embedded regtest node running (pid ${status.pid}) at ${status.url}, height ${status.height}`;
    case 'external':
      return `a regtest node (${status.backend}) answers at ${status.url}, height ${status.height}; it was not started by lnlab`;
    case 'stopped':
      return `no regtest node answers at ${status.url}`;
  }
}

export async function regtestCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'start': {
      say(`${INFO}starting the embedded regtest node…`);
      const status = await startRegtest();
      say(`${OK} ${describe(status)}${status.started ? '' : ' (already running)'}`);
      say(`   RPC URL: ${status.url}`);
      return 0;
    }
    case 'stop': {
      const pid = await stopRegtest();
      say(pid === undefined ? `${INFO}no embedded regtest node was running` : `${OK} stopped the embedded regtest node (pid ${pid})`);
      const after = await regtestStatus();
      if (after.state === 'external') say(`${INFO}${describe(after)}; stop it with \`docker compose down\``);
      return 0;
    }
    case 'status': {
      const status = await regtestStatus();
      say(`${status.state === 'stopped' ? INFO : OK} ${describe(status)}`);
      return status.state === 'stopped' ? 3 : 0;
    }
    case 'mine': {
      const count = Number(rest[0] ?? '1');
      if (!Number.isInteger(count) || count < 1 || count > 10_000) {
        throw new UsageError(`lnlab regtest mine: expected a number of blocks from 1 to 10000, got "${rest[0]}"`, REGTEST_USAGE);
      }
      const client = await BitcoindClient.connect(rpcConfigFromEnv());
      const hashes = await client.mineBlocks(count, FAUCET_OUTPUT_SCRIPT);
      const { height } = await client.getBestBlock();
      say(`${OK} mined ${hashes.length} block(s); height is now ${height}`);
      return 0;
    }
    case 'reset': {
      await resetRegtest();
      say(`${OK} the embedded node is stopped and its chain deleted; \`npx lnlab regtest start\` begins a new one`);
      return 0;
    }
    default:
      throw new UsageError(command ? `lnlab regtest: unknown command "${command}"` : 'lnlab regtest: which command?', REGTEST_USAGE);
  }
}
