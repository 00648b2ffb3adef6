/**
 * The exercise registry: the one list the notebooks, their check cells, the grader and the tests are
 * all derived from. Add an exercise here (with its tests in `checks/` and its solution region in
 * `solutions/`) and everything else picks it up.
 */
import type { ExerciseTest } from './check/types.js';

/** Format of this registry; bump when an entry's shape changes (the grader reads it). */
export const REGISTRY_FORMAT_VERSION = 1;

export interface Exercise {
  /** Unique id; also the name of the function the learner writes, and of the check: `check('<id>', …)`. */
  readonly id: string;
  /** The function name the learner's cell defines (the method it replaces). */
  readonly functionName: string;
  /** Notebook file name without `.ipynb`. */
  readonly notebook: string;
  readonly title: string;
  /** The reference class whose method the learner's function replaces. */
  readonly component: 'ChannelMonitor' | 'ChainMonitor' | 'ChannelManager';
  /** Where the reference solution lives: a `// #region <region>` in `file`. */
  readonly solution: { readonly file: string; readonly region: string };
  /** Spec sections worth reading first. */
  readonly reading: string;
  /** Progressive hints: the first points the way, the second is concrete. Never the answer. */
  readonly hints: readonly [string, string];
  /** Whether the checks mine blocks on a live regtest chain (they take longer). */
  readonly minesBlocks: boolean;
  /** Loads the exercise's tests (lazily: they import the reference components). */
  readonly tests: () => Promise<readonly ExerciseTest<never>[]>;
}

export const EXERCISES: readonly Exercise[] = Object.freeze([
  {
    id: 'blockConnected',
    functionName: 'blockConnected',
    notebook: '01-channel-monitor',
    title: 'React to a new block',
    component: 'ChannelMonitor',
    solution: { file: 'solutions/channel-monitor.ts', region: 'blockConnected' },
    reading: 'BOLT 5 "Revoked Transaction Close Handling"; BOLT 3 "Revocation key"',
    hints: [
      'Only transactions that spend an output in `outputsToWatch` matter; the monitor already has helpers for each step of the comments.',
      'Inside the loop: `if (!this.spendsWatchedOutput(tx)) continue;` then `const reaction = this.reactTo(tx, height, feerate)`, `await this.broadcast(broadcaster, reaction.claims)` and `this.watchOutputs(reaction.outputsToWatch)`.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/channel-monitor-checks.js')).blockConnectedTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'transactionsConfirmed',
    functionName: 'transactionsConfirmed',
    notebook: '02-chain-monitor',
    title: 'Hand each block to every ChannelMonitor',
    component: 'ChainMonitor',
    solution: { file: 'solutions/chain-monitor.ts', region: 'transactionsConfirmed' },
    reading: 'LDK `chain::Confirm::transactions_confirmed`',
    hints: [
      'The ChainMonitor does not judge transactions itself: every ChannelMonitor gets the block and decides.',
      'Loop `for (const monitor of this.monitors.values())` and `await monitor.blockConnected(header, txdata, height, this.broadcaster, this.feeEstimator)`.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/chain-monitor-checks.js')).transactionsConfirmedTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'watchChannel',
    functionName: 'watchChannel',
    notebook: '02-chain-monitor',
    title: 'Start watching a channel — durably',
    component: 'ChainMonitor',
    solution: { file: 'solutions/chain-monitor.ts', region: 'watchChannel' },
    reading: 'LDK `chain::Watch::watch_channel`, `ChannelMonitorUpdateStatus`',
    hints: [
      '`Completed` is a promise that the monitor is safe on disk. Decide the order of "persist" and "register" so that promise is never false.',
      'Refuse a duplicate (`ChannelAlreadyWatchedError`), then `await this.persister.persistMonitor(fundingOutpointKey(txid, vout), monitor.toBytes())` in a try/catch: on error return `UnrecoverableError`; only then `this.monitors.set(outpointKey(fundingOutpoint), monitor)` and `this.watchIndex.update(...)`.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/chain-monitor-checks.js')).watchChannelTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'updateMonitor',
    functionName: 'updateMonitor',
    notebook: '03-updating-channels',
    title: 'Apply an update to a ChannelMonitor',
    component: 'ChannelMonitor',
    solution: { file: 'solutions/channel-monitor.ts', region: 'updateMonitor' },
    reading: 'BOLT 3 "Per-commitment Secret Requirements" (efficient storage); BOLT 2 `revoke_and_ack`',
    hints: [
      'A secret is only useful if it is the right one: the compact secret store checks each new secret against the old ones.',
      'Preimage: push it unless an equal one is already in `this.preimages` (compare with `Buffer.equals`). Secret: `this.commitmentSecrets.provideSecret(update.index, update.secret)` — it throws on a bad secret.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/channel-monitor-checks.js')).updateMonitorTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'updateChannel',
    functionName: 'updateChannel',
    notebook: '03-updating-channels',
    title: 'Update and persist a channel before it moves on',
    component: 'ChainMonitor',
    solution: { file: 'solutions/chain-monitor.ts', region: 'updateChannel' },
    reading: 'LDK `chain::Watch::update_channel`',
    hints: [
      'Three things can go wrong: no such channel, a bad update, a failed disk. Each needs its own answer.',
      'Look up `this.monitors.get(outpointKey(fundingOutpoint))` (missing → `throw new UnknownChannelError(key, this.monitors.size)`), then `monitor.updateMonitor(update)`, then persist in a try/catch returning `Completed` or `UnrecoverableError`.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/chain-monitor-checks.js')).updateChannelTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'createChannel',
    functionName: 'createChannel',
    notebook: '04-channel-manager',
    title: 'Open a channel — and watch it before funding it',
    component: 'ChannelManager',
    solution: { file: 'solutions/channel-manager.ts', region: 'createChannel' },
    reading: 'BOLT 2 "Channel Establishment"',
    hints: [
      'Two answers can stop an open: `openChannel()` answering Failure, and `watchChannel` answering anything but `Completed`. Both come back as a returned Failure; money only moves after both said yes.',
      '`const channel = new OutboundV1Channel(this.channelContext(theirNetworkKey), channelValueSats, feeratePerKw, this.wallet)`, `this.registry.outbound.add(channel)`, `const status = await channel.openChannel()`; on Failure `return status`; else `watchChannel(status.fundingOutpoint, new ChannelMonitor(status.monitorInit))`, and unless `Completed` `return channel.abandon(new MonitorPersistFailedError(...))` before any broadcast.',
    ],
    minesBlocks: true,
    tests: async () => (await import('./checks/channel-manager-checks.js')).createChannelTests as readonly ExerciseTest<never>[],
  },
  {
    id: 'scaleTransactionsConfirmed',
    functionName: 'transactionsConfirmed',
    notebook: '06-going-further',
    title: 'Scale transactionsConfirmed to 10,000 channels',
    component: 'ChainMonitor',
    solution: { file: 'solutions/chain-monitor.ts', region: 'scaleTransactionsConfirmed' },
    reading: 'LDK `chain::Filter` (register_output) and how a ChainMonitor avoids scanning every block for every channel',
    hints: [
      'Most channels care about none of a block\'s transactions. Find the few that do with one lookup per input.',
      '`const relevant = this.watchIndex.relevantTransactions(txdata)` maps monitor keys to their transactions; call each monitor with `relevant.get(key) ?? []`.',
    ],
    minesBlocks: false,
    tests: async () => (await import('./checks/chain-monitor-checks.js')).scaleTransactionsConfirmedTests as readonly ExerciseTest<never>[],
  },
]);

/** The exercise with this id; throws a clear error naming the known ids otherwise. */
export function exerciseById(id: string): Exercise {
  const exercise = EXERCISES.find((e) => e.id === id);
  if (!exercise) {
    throw new RangeError(`no exercise "${id}"; the exercises are: ${EXERCISES.map((e) => e.id).join(', ')}`);
  }
  return exercise;
}
