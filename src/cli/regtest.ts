/** `lnlab regtest start|stop|status|mine N|reset`: the learner's embedded regtest node. */
import { BitcoindClient } from '../chain/bitcoind-client.js';
import { rpcConfigFromEnv } from '../chain/config.js';
import { FAUCET_OUTPUT_SCRIPT } from '../chain/regtest/faucet.js';
import { regtestStatus, resetRegtest, startRegtest, stopRegtest, type RegtestStatus } from '../chain/regtest/launcher.js';
import { type Command, UsageError } from './usage.js';
import { INFO, OK, say, WAIT } from './output.js';

/** `mine` takes at most this many blocks at once: more is never needed on regtest and takes minutes. */
const MAX_BLOCKS_PER_MINE = 10_000;
/** `regtest status`'s exit code when no node is ready, as LSB init scripts say "not running". */
const EXIT_NOT_RUNNING = 3;

const WHERE = `The node answers JSON-RPC at $LNLAB_RPC_URL (default http://127.0.0.1:18443, user and password "lnlab"),
the same address as docker compose's Bitcoin Core, so one configuration serves both.`;

const START_USAGE = `lnlab regtest start

Starts the embedded regtest node (bcoin, in the background) and prints its RPC URL. Does nothing if a
regtest node already answers there; waits for a Bitcoin Core that is still starting.`;
const STOP_USAGE = `lnlab regtest stop

Stops the embedded regtest node (its chain is kept for the next start). A Bitcoin Core from docker
compose is left alone: stop that with \`docker compose down\`.`;
const STATUS_USAGE = `lnlab regtest status

Says which regtest node answers and its block height. Exit code 0 when a node is ready, ${EXIT_NOT_RUNNING} when none
answers yet (or it is still starting).`;
const MINE_USAGE = `lnlab regtest mine [N]

Mines N blocks (default 1, at most ${MAX_BLOCKS_PER_MINE}); the rewards go to the workshop faucet.`;
const RESET_USAGE = `lnlab regtest reset

Stops the embedded node and deletes its chain: the next start begins at block 0.`;

export const REGTEST_USAGE = `lnlab regtest <command>

  start      start the embedded regtest node (does nothing if a regtest node already answers)
  stop       stop the embedded regtest node
  status     say which node answers, and its block height
  mine N     mine N blocks (rewards go to the workshop faucet)
  reset      stop the embedded node and delete its chain (the next start begins at block 0)

${WHERE}
\`lnlab regtest <command> --help\` explains one command.`;

function describe(status: RegtestStatus): string {
  switch (status.state) {
    case 'embedded':
      return `embedded regtest node running (pid ${status.pid}) at ${status.url}, height ${status.height}`;
    case 'external':
      return `a regtest node (${status.backend}) answers at ${status.url}, height ${status.height}; it was not started by lnlab`;
    case 'starting':
      return `a regtest node answers at ${status.url} but is still starting (${status.activity})`;
    case 'stopped':
      return `no regtest node answers at ${status.url}`;
  }
}

/** Says each new thing a warming-up Bitcoin Core reports, so a wait never looks like a hang. */
export function sayWarmup(activity: string): void {
  say(`${WAIT}the regtest node is still starting: ${activity}`);
}

function noArguments(name: string, usage: string, args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`lnlab regtest ${name}: takes no arguments, got "${args.join(' ')}"`, usage);
}

const SUBCOMMANDS: Readonly<Record<string, Command>> = {
  start: {
    synopsis: 'start',
    summary: 'start the embedded regtest node',
    usage: START_USAGE,
    async run(args) {
      noArguments('start', START_USAGE, args);
      const status = await startRegtest(rpcConfigFromEnv(), undefined, {
        onWarmup: sayWarmup,
        onSpawn: () => say(`${INFO}starting the embedded regtest node…`),
      });
      say(`${OK} ${describe(status)}${status.started ? '' : ' (already running)'}`);
      say(`   RPC URL: ${status.url}`);
      return 0;
    },
  },
  stop: {
    synopsis: 'stop',
    summary: 'stop the embedded regtest node',
    usage: STOP_USAGE,
    async run(args) {
      noArguments('stop', STOP_USAGE, args);
      const pid = await stopRegtest();
      say(pid === undefined ? `${INFO}no embedded regtest node was running` : `${OK} stopped the embedded regtest node (pid ${pid})`);
      const after = await regtestStatus();
      if (after.state === 'external' || after.state === 'starting') say(`${INFO}${describe(after)}; stop it with \`docker compose down\``);
      return 0;
    },
  },
  status: {
    synopsis: 'status',
    summary: 'which node answers, and its height',
    usage: STATUS_USAGE,
    async run(args) {
      noArguments('status', STATUS_USAGE, args);
      const status = await regtestStatus();
      const ready = status.state === 'embedded' || status.state === 'external';
      say(`${ready ? OK : INFO} ${describe(status)}`);
      return ready ? 0 : EXIT_NOT_RUNNING;
    },
  },
  mine: {
    synopsis: 'mine [N]',
    summary: 'mine N blocks',
    usage: MINE_USAGE,
    async run(args) {
      if (args.length > 1) throw new UsageError(`lnlab regtest mine: expected one number of blocks, got "${args.join(' ')}"`, MINE_USAGE);
      const count = Number(args[0] ?? '1');
      if (!Number.isInteger(count) || count < 1 || count > MAX_BLOCKS_PER_MINE) {
        throw new UsageError(`lnlab regtest mine: expected a number of blocks from 1 to ${MAX_BLOCKS_PER_MINE}, got "${args[0]}"`, MINE_USAGE);
      }
      const client = new BitcoindClient(rpcConfigFromEnv(), { onWarmup: sayWarmup });
      await client.ensureRegtest();
      const hashes = await client.mineBlocks(count, FAUCET_OUTPUT_SCRIPT);
      const { height } = await client.getBestBlock();
      say(`${OK} mined ${hashes.length} block(s); height is now ${height}`);
      return 0;
    },
  },
  reset: {
    synopsis: 'reset',
    summary: 'stop the embedded node and delete its chain',
    usage: RESET_USAGE,
    async run(args) {
      noArguments('reset', RESET_USAGE, args);
      await resetRegtest();
      say(`${OK} the embedded node is stopped and its chain deleted; \`npx lnlab regtest start\` begins a new one`);
      return 0;
    },
  },
};

/** `lnlab regtest`, for the command table in `main.ts`. */
export const REGTEST_COMMAND: Command = {
  synopsis: 'regtest <start|stop|status|mine N|reset>',
  summary: 'the embedded regtest chain',
  usage: REGTEST_USAGE,
  subcommands: SUBCOMMANDS,
};
