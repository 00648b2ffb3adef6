/**
 * Checks of ⚡️ `createChannel`, on the live regtest chain. Alice's `ChannelManager` runs the learner's
 * function; her ChainMonitor, broadcaster and peers are the scenario doubles of `./manager-doubles.ts`, so
 * no other exercise's answer is involved. The node refuses for real (a coin spent under the wallet), the
 * disk fails for real-looking reasons at a step picked per run, and the peers refuse as a real peer would.
 *
 * | Requirement the notebook states                                          | Rule behind it                                                            | Check |
 * |--------------------------------------------------------------------------|---------------------------------------------------------------------------|-------|
 * | the channel stays in `registry.outbound` while it opens, and leaves it    | BOLT 2: `accept_channel`/`funding_signed`/`error` name the opening channel | all (stuck, left over) |
 * | `await channel.openChannel()`                                             | BOLT 2 "Channel Establishment": the funder waits for `funding_signed`     | all (exchange still going) |
 * | an `openChannel()` Failure is returned as it is: no throw, no exit        | LDK: `create_channel` returns `Err(APIError)`, never panics               | 2, 3, 4 |
 * | the monitor goes to `watchChannel`, built by `this.newMonitor`            | LDK `chain::Watch::watch_channel`                                         | 1 |
 * | broadcast only after `watchChannel` answered `Completed`                  | LDK `ChannelMonitorUpdateStatus::Completed`: durable before funds move    | 1, 5, 6 |
 * | not `Completed` (or a throw): no broadcast, `channel.abandon(...)`        | LDK `UnrecoverableError`; BOLT 2: tell the peer with `error`              | 5, 6 |
 * | a refused broadcast is a Failure; the channel is unregistered, given up   | LDK `BroadcasterInterface`: a refusal is the chain's answer, not a crash  | 7 |
 * | Success carries the channel id, the funding outpoint and THE watched monitor | seed's `ChannelOpenStatus::Success`                                    | 1 |
 * | the funded channel is in `registry.funded`: a block makes it `Ready`      | BOLT 2 "The `channel_ready` Message"                                      | 1 |
 * | every failed open leaves the wallet's coins unlocked                      | LDK `Event::DiscardFunding`: an unbroadcast funding's inputs are reusable | 2–7 |
 * | `await` what you start (watchChannel, the broadcast)                      | LDK: `Completed` is an answer, not a promise of one                       | all |
 * | the given feerate line: `NonAnchorChannelFee`                             | LDK `ConfirmationTarget::NonAnchorChannelFee` for commitment feerates     | 1 |
 *
 * Cost (measured, see the README): one faucet transaction and one block fund every check's wallet; check 1
 * mines one more block.
 * @see BOLT 2 "Channel Establishment"
 */
import { BroadcastRejectedError } from '../../chain/errors.js';
import { FAUCET_OUTPUT_SCRIPT } from '../../chain/regtest/faucet.js';
import { CounterpartyRefusedError, MonitorPersistFailedError } from '../../channel/errors.js';
import { NotImplementedError } from '../../errors.js';
import { bytesToHex } from '../../ln/bytes.js';
import { fundingOutpointKey } from '../../persist/monitor-persister.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import type { ChannelOpenStatus } from '../../node/channel-manager.js';
import { InsufficientFundsError } from '../../wallet/errors.js';
import { CheckFailure, expectEqual, expectThat, isErrorOf } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { withCheckChain, type WalletPlan } from './manager-chain.js';
import type { WatchAnswer } from './manager-doubles.js';
import { NodeChannelMonitor, callCreateChannel, deliverNewBlocks, openingScene, type CallOutcome, type CreateChannel, type PeerOptions, type Scene } from './manager-scenario.js';

export type { CreateChannel } from './manager-scenario.js';

const CHANNEL_SAT = 500_000n;
/** One coin funds one 500,000 sat channel with room for its fee. */
const COIN_SAT = 700_000n;
/** Passes `openChannel()`'s balance check but not the funding fee: the wallet runs short after Bob accepted. */
const SHORT_COIN_SAT = CHANNEL_SAT + 100n;

/** Unrelated payments in the block that confirms check 1's channels: a block is more than our transactions. */
const UNRELATED_PAYMENTS = 3;
const UNRELATED_PAYMENT_SAT = 25_000n;
/** What the conflicting spend of check 7 pays (the rest goes back to the wallet as change). */
const CONFLICT_SAT = 100_000n;

/** Every wallet a run of these checks uses, funded together (see `WalletBank`). */
const PLAN: WalletPlan = Object.freeze({
  twoChannels: [COIN_SAT, COIN_SAT],
  shortOfFee: [SHORT_COIN_SAT],
  peerRefusesOpen: [COIN_SAT],
  peerCannotStore: [COIN_SAT],
  watchUnrecoverable: [COIN_SAT],
  watchThrows: [COIN_SAT],
  broadcastRefused: [COIN_SAT],
});

const NEVER_THROW = 'when `openChannel()` answers Failure, `return status` as it is: never throw, never exit';
const GIVE_UP = 'give the channel up with `channel.abandon(new MonitorPersistFailedError(...))`: it unlocks the coins and tells the peer';

/** Runs `body` on a scene for the wallet `walletName`, and always cleans up. */
async function inScene(impl: CreateChannel, walletName: keyof typeof PLAN, watchAnswer: WatchAnswer, peers: readonly PeerOptions[], body: (scene: Scene) => Promise<void>): Promise<void> {
  await withCheckChain(async (chain, bank) => {
    const funded = await bank(PLAN).take(walletName);
    const scene = await openingScene(chain, impl, funded, watchAnswer, peers);
    try {
      await body(scene);
    } finally {
      await scene.cleanup();
    }
  });
}

/** The status the call returned; a throw (other than "not written yet") fails the check with `hint`. */
function returnedStatus(outcome: CallOutcome, what: string, hint: string): ChannelOpenStatus {
  if ('returned' in outcome) return outcome.returned;
  const err = outcome.threw;
  if (isErrorOf(err, NotImplementedError) || isErrorOf(err, CheckFailure)) throw err;
  const text = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
  throw new CheckFailure(what, 'a returned status (createChannel never rejects)', `it threw ${text}`, hint);
}

function describeStatus(status: ChannelOpenStatus | undefined): string {
  if (status?.kind === 'Failure') return `Failure (${status.error?.name}: ${String(status.error?.message).split('\n')[0]})`;
  return String(status?.kind ?? status);
}

/** A failed open left nothing behind: Failure with `errorName`'s error, nothing registered, coins unlocked. */
function expectCleanFailure(scene: Scene, status: ChannelOpenStatus, situation: string, expectError: (error: unknown) => boolean, errorName: string, errorHint: string): void {
  const { alice } = scene;
  expectEqual(status?.kind, 'Failure', `createChannel status ${situation}`, NEVER_THROW);
  if (status.kind !== 'Failure') return;
  expectThat(expectError(status.error), `the Failure's error ${situation}`, errorName, describeStatus(status), errorHint);
  expectEqual(alice.manager.listChannels().length, 0, `channels in this.registry.funded ${situation}`,
    'a channel that was refused or given up must not stay registered in `this.registry.funded`: blocks and messages would treat it as open');
  expectEqual(alice.manager.registry.outbound.size, 0, `channels left in this.registry.outbound ${situation}`,
    'take the channel out of `this.registry.outbound` once `openChannel()` answered, whatever it answered');
  expectEqual(alice.wallet.spendableBalanceSat(), alice.funded.fundedSat, `Alice's spendable coins ${situation}`,
    'a failed open must give the wallet its coins back: `channel.abandon(...)` unlocks them (an `openChannel()` Failure already has)');
}

/** Nothing reached the chain: no broadcast, and the node has never heard of the funding transaction. */
async function expectNothingBroadcast(scene: Scene, situation: string, hint: string): Promise<void> {
  const { alice, chain } = scene;
  expectEqual(alice.broadcaster.txids.join(', '), '', `transactions broadcast ${situation}`, hint);
  for (const call of alice.chainMonitor.calls) {
    expectEqual(await chain.client.getConfirmations(call.fundingOutpoint.txid), null, `the funding transaction on the node ${situation}`, hint);
  }
}

/** Bob heard the open is off (`channel.abandon` sends him `error`): his channel is failed, not waiting for a funding. */
function expectPeerTold(scene: Scene, situation: string): void {
  const phases = scene.peers[0]!.manager.listChannels().map((channel) => channel.phase);
  expectThat(phases.every((phase) => phase === 'Failed'), `Bob's channel ${situation}`, 'Failed (he was sent `error`)', phases.join(', ') || 'none', GIVE_UP);
}

/** The one `watchChannel` call of a scene with one open, checked to be there. */
function onlyWatchCall(scene: Scene) {
  const calls = scene.alice.chainMonitor.calls;
  expectEqual(calls.length, 1, 'watchChannel calls after openChannel() answered Success', 'hand the monitor to `this.chainMonitor.watchChannel(status.fundingOutpoint, monitor)` once');
  return calls[0]!;
}

export const tests: ExerciseTest<CreateChannel>[] = [
  {
    name: 'opens two channels: each monitor watched, then its funding broadcast; one block makes both Ready',
    async run(impl) {
      await inScene(impl, 'twoChannels', 'Completed', [{ name: 'Bob' }, { name: 'Carol' }], async (scene) => {
        const { alice, chain } = scene;
        const opened: { channelId: string; peer: (typeof scene.peers)[number] }[] = [];
        for (const peer of scene.peers) {
          const watchedBefore = alice.chainMonitor.calls.length;
          const broadcastBefore = alice.broadcaster.calls.length;
          const status = returnedStatus(await callCreateChannel(scene, peer, CHANNEL_SAT), `createChannel to ${peer.name}`, 'with a funded wallet and a willing peer the open succeeds; return its Success');
          // On a healthy disk, storing fails only for what it was handed (no outpoint, not a monitor).
          const storeError = alice.chainMonitor.storeErrors[0] as Error | undefined;
          expectThat(storeError === undefined, 'what watchChannel could store', 'the monitor, under its funding outpoint', `an error: ${String(storeError?.message).split('\n')[0]}`,
            'hand watchChannel `status.fundingOutpoint` and the monitor built from `status.monitorInit`');
          expectThat(status?.kind === 'Success', `createChannel status (a funded wallet, ${peer.name} willing)`, 'Success', describeStatus(status),
            'open it, hand its monitor to watchChannel, and broadcast once that answered Completed');
          if (status.kind !== 'Success') return;
          const { txid, vout } = status.fundingOutpoint;
          const watched = alice.chainMonitor.calls.slice(watchedBefore);
          expectEqual(watched.length, 1, `watchChannel calls for the channel to ${peer.name}`, 'hand the new monitor to `this.chainMonitor.watchChannel(status.fundingOutpoint, monitor)`, once');
          const [call] = watched as [(typeof watched)[number]];
          expectEqual(`${call.fundingOutpoint.txid}:${call.fundingOutpoint.vout}`, `${txid}:${vout}`, 'the outpoint watchChannel was given (vs the one returned)', 'watch the channel under `status.fundingOutpoint`, and return that outpoint');
          expectThat(call.monitor instanceof NodeChannelMonitor, 'the class of the monitor handed to watchChannel', "the node's monitor class, NodeChannelMonitor", String(call.monitor?.constructor?.name),
            'build it with `this.newMonitor(status.monitorInit)`: later notebooks put your own ChannelMonitor methods in that class');
          expectThat(status.channelMonitor === call.monitor, 'the monitor in Success', 'the monitor handed to watchChannel', 'another object',
            'return the very monitor you handed to watchChannel: it is the one the ChainMonitor keeps up to date');
          expectEqual(status.channelId, call.monitor.channelId, 'the channel id in Success', "return the funded channel's id (`status.channel.channelId`), not a temporary one");
          const broadcasts = alice.broadcaster.calls.slice(broadcastBefore);
          expectEqual(broadcasts.flatMap((b) => b.txids).join(', '), txid, `transactions broadcast for the channel to ${peer.name}`,
            'broadcast `status.fundingTx` with `this.broadcaster.broadcastTransactions(...)`, once, after watchChannel answered Completed');
          expectThat((await chain.client.getConfirmations(txid)) !== null, 'the funding transaction on the node', 'in its mempool (or a block)', 'unknown to the node',
            'broadcast `status.fundingTx` and await the answer');
          expectThat(alice.manager.channel(status.channelId) !== undefined, 'the channel in this.registry.funded', 'registered', 'missing',
            '`this.registry.funded.set(status.channel.channelId, status.channel)`: only registered channels see their funding confirm and send channel_ready');
          expectEqual(alice.manager.registry.outbound.size, 0, 'channels left in this.registry.outbound after the open',
            'take the channel out of `this.registry.outbound` once `openChannel()` answered: it is funded now');
          opened.push({ channelId: status.channelId, peer });
        }
        // What a restart would find: each watched monitor on Alice's disk, read back as the node reads it.
        const onDisk = new Map((await alice.store.readAllMonitors()).map((stored) => [stored.key, stored.bytes]));
        for (const call of alice.chainMonitor.calls) {
          const bytes = onDisk.get(fundingOutpointKey(call.fundingOutpoint.txid, call.fundingOutpoint.vout));
          expectEqual(bytes && NodeChannelMonitor.fromBytes(bytes).channelId, call.monitor.channelId, 'the monitor read back from disk after the open',
            'hand watchChannel the monitor built from `status.monitorInit`: it is what a restarted node will load');
        }
        const opens = scene.network.log.filter((m) => m.type === 'open_channel').map((m) => (m.message as { feeratePerKw: number }).feeratePerKw);
        expectEqual(opens.join(', '), opens.map(() => alice.feeEstimator.feeratePerKw.NonAnchorChannelFee).join(', '), 'the feerate each open_channel proposed (sat/kW)',
          "keep the given line: the channel's commitments pay `getEstSatPer1000Weight('NonAnchorChannelFee')`");

        // A realistic block: the coinbase, unrelated payments, and both funding transactions.
        for (let i = 0; i < UNRELATED_PAYMENTS; i++) await chain.faucet.fund(FAUCET_OUTPUT_SCRIPT, UNRELATED_PAYMENT_SAT + BigInt(i));
        await chain.faucet.mine(1);
        await deliverNewBlocks(scene);
        for (const { channelId, peer } of opened) {
          expectEqual(alice.manager.channel(channelId)?.phase, 'Ready', `Alice's channel to ${peer.name} after its funding confirmed`,
            'register the funded channel in `this.registry.funded`: blocks reach only registered channels, and only they send channel_ready');
          expectEqual(peer.manager.channel(channelId)?.phase, 'Ready', `${peer.name}'s side of the channel after the funding confirmed`,
            "Alice's channel must be in `this.registry.funded` to exchange channel_ready");
        }
      });
    },
  },
  {
    name: 'openChannel() answers Failure (the wallet is short of the fee): that Failure comes back, nothing watched or broadcast',
    async run(impl) {
      await inScene(impl, 'shortOfFee', 'Completed', [{ name: 'Bob' }], async (scene) => {
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), 'createChannel with a wallet short of the fee', NEVER_THROW);
        // In a notebook kernel the node may hand the wallet's error over wrapped (two copies of the workshop are
        // loaded there); the text Alice's node sent Bob is that very error's, whichever copy made it.
        const toldBob = scene.network.log.filter((m) => m.type === 'error' && m.to === bytesToHex(scene.peers[0]!.nodeId)).map((m) => (m.message as { data: string }).data);
        const isOpenChannelError = (e: unknown) => isErrorOf(e, InsufficientFundsError) || (e instanceof Error && toldBob.includes(e.message));
        expectCleanFailure(scene, status, 'when the wallet cannot pay the fee', isOpenChannelError, "openChannel()'s InsufficientFundsError",
          'return the Failure `openChannel()` gave you, as it is: its error tells the caller why');
        expectEqual(scene.alice.chainMonitor.calls.length, 0, 'watchChannel calls after a failed open', 'call watchChannel only when `openChannel()` answered Success');
        await expectNothingBroadcast(scene, 'after a failed open', 'broadcast nothing when the open failed');
      });
    },
  },
  {
    name: 'Bob refuses the open_channel: his refusal comes back as a Failure, nothing watched or broadcast',
    async run(impl) {
      await inScene(impl, 'peerRefusesOpen', 'Completed', [{ name: 'Bob', handshake: { minFundingSat: 4n * CHANNEL_SAT } }], async (scene) => {
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), 'createChannel when Bob refuses', NEVER_THROW);
        expectCleanFailure(scene, status, 'when Bob refuses', (e) => isErrorOf(e, CounterpartyRefusedError), "openChannel()'s CounterpartyRefusedError",
          'return the Failure `openChannel()` gave you, as it is');
        expectEqual(scene.alice.chainMonitor.calls.length, 0, 'watchChannel calls after a refused open', 'call watchChannel only when `openChannel()` answered Success');
        await expectNothingBroadcast(scene, 'after a refused open', 'broadcast nothing when the open failed');
      });
    },
  },
  {
    name: 'Bob cannot store his monitor and refuses after funding_created: a Failure, and the coins the funding locked are free again',
    async run(impl) {
      const peer: PeerOptions = { name: 'Bob', watchAnswer: ChannelMonitorUpdateStatus.UnrecoverableError };
      await inScene(impl, 'peerCannotStore', 'Completed', [peer], async (scene) => {
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), "createChannel when Bob's monitor could not be stored", NEVER_THROW);
        expectCleanFailure(scene, status, 'when Bob refuses after funding_created', (e) => isErrorOf(e, CounterpartyRefusedError), "openChannel()'s CounterpartyRefusedError",
          "keep the channel in `this.registry.outbound` until `openChannel()` answers: Bob's `error` must reach it to end the open");
        await expectNothingBroadcast(scene, 'after Bob refused', 'broadcast nothing when the open failed');
      });
    },
  },
  {
    name: 'watchChannel answers UnrecoverableError (the disk failed): no broadcast, the channel given up, a Failure',
    async run(impl) {
      await inScene(impl, 'watchUnrecoverable', 'UnrecoverableError', [{ name: 'Bob' }], async (scene) => {
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), 'createChannel when watchChannel answers UnrecoverableError', GIVE_UP);
        onlyWatchCall(scene);
        await expectNothingBroadcast(scene, 'when the monitor could not be stored',
          "look at watchChannel's answer: unless it is `Completed`, never broadcast — after a crash nobody would watch the channel");
        expectCleanFailure(scene, status, 'when watchChannel answers UnrecoverableError', (e) => isErrorOf(e, MonitorPersistFailedError), 'a MonitorPersistFailedError', GIVE_UP);
        expectPeerTold(scene, 'after Alice could not store her monitor');
      });
    },
  },
  {
    name: 'watchChannel throws: no answer is not Completed either — no broadcast, the channel given up, a Failure',
    async run(impl) {
      await inScene(impl, 'watchThrows', 'throws', [{ name: 'Bob' }], async (scene) => {
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), 'createChannel when watchChannel threw',
          'a watchChannel that throws has not answered `Completed`: catch it and give the channel up as for UnrecoverableError');
        onlyWatchCall(scene);
        await expectNothingBroadcast(scene, 'when watchChannel threw', 'a throw from watchChannel means the monitor is not stored: never broadcast then');
        expectCleanFailure(scene, status, 'when watchChannel threw', (e) => isErrorOf(e, MonitorPersistFailedError), 'a MonitorPersistFailedError', GIVE_UP);
        expectPeerTold(scene, 'after watchChannel threw');
      });
    },
  },
  {
    name: 'the node refuses the funding transaction (its coin was spent meanwhile): a Failure, not a throw, and no channel left behind',
    async run(impl) {
      await inScene(impl, 'broadcastRefused', 'Completed', [{ name: 'Bob' }], async (scene) => {
        const { alice, chain } = scene;
        // Spend the wallet's coin behind its back: the funding transaction will double-spend it.
        const conflict = await alice.wallet.fundTransaction([{ scriptPubKey: FAUCET_OUTPUT_SCRIPT, amountSat: CONFLICT_SAT }]);
        await chain.client.broadcastTransactions(conflict.tx);
        alice.wallet.release(conflict);
        const status = returnedStatus(await callCreateChannel(scene, scene.peers[0]!, CHANNEL_SAT), 'createChannel when the node refuses the funding transaction',
          '`broadcastTransactions` rejects when the node refuses: catch it and return a Failure — a refused broadcast is an answer, not a crash');
        const refusal = alice.broadcaster.calls.map((call) => call.outcome).find((outcome) => isErrorOf(outcome, BroadcastRejectedError)) as BroadcastRejectedError | undefined;
        expectThat(refusal !== undefined, 'what the node answered the funding broadcast', 'a refusal (its coin is spent)', 'no broadcast was refused',
          'broadcast the funding transaction once watchChannel answered Completed');
        expectCleanFailure(scene, status, 'when the node refused the funding transaction',
          (e) => isErrorOf(e, BroadcastRejectedError) || String((e as Error)?.message).includes(refusal!.reason), "the node's refusal (BroadcastRejectedError)",
          "give the channel up with `channel.abandon(...)` carrying the node's refusal, so the caller sees why");
        expectPeerTold(scene, 'after the funding transaction was refused');
      });
    },
  },
];
