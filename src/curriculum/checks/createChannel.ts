/**
 * Checks of ⚡️ `createChannel`, on a live chain: one throwaway regtest node per process
 * (started on first use, reused by every later check), and per test a fresh Alice — running the
 * learner's `createChannel` — and Bob, the reference, linked in memory.
 * @see BOLT 2 "Channel Establishment"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { BitcoindClient } from '../../chain/bitcoind-client.js';
import type { BroadcasterInterface } from '../../chain/interfaces.js';
import { Faucet } from '../../chain/regtest/faucet.js';
import { startThrowawayNode } from '../../chain/regtest/launcher.js';
import { userConfig, type UserConfig } from '../../channel/config.js';
import { MonitorPersistFailedError } from '../../channel/errors.js';
import { NotImplementedError } from '../../errors.js';
import { outpointKey } from '../../monitor/outpoints.js';
import { InProcessNetwork } from '../../peer/network.js';
import { fundingOutpointKey } from '../../persist/monitor-persister.js';
import type { Persist, StoredChannel } from '../../persist/persist.js';
import type { ChannelManager, ChannelOpenStatus } from '../../node/channel-manager.js';
import { referenceNode } from '../references.js';
import { CheckFailure, expectEqual, expectThat, isErrorOf } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { fundLiveNode, liveNode } from '../../workshop/live-node.js';
import { nodeWith } from './support.js';

export type CreateChannel = (this: ChannelManager, theirNetworkKey: Uint8Array, channelValueSats: bigint) => Promise<ChannelOpenStatus>;

const WALLET_SAT = 1_500_000n;
const CHANNEL_SAT = 500_000n;

let sharedChain: Promise<{ client: BitcoindClient; faucet: Faucet }> | undefined;

/** The checks' own regtest node: started once per process (about a second), then reused. */
function checkChain(): Promise<{ client: BitcoindClient; faucet: Faucet }> {
  sharedChain ??= (async () => {
    const node = await startThrowawayNode();
    const client = new BitcoindClient(node.config);
    return { client, faucet: await Faucet.create(client) };
  })().catch((err: unknown) => {
    sharedChain = undefined;
    throw err;
  });
  return sharedChain;
}

/** Sends to the chain, and remembers what it sent. */
class RelayingBroadcaster implements BroadcasterInterface {
  readonly broadcast: Transaction[] = [];
  constructor(private readonly inner: BroadcasterInterface) {}
  async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    this.broadcast.push(...txs);
    return this.inner.broadcastTransactions(...txs);
  }
}

/** Every monitor write fails, as on a full disk. */
class FailingPersister implements Persist {
  async persistNewChannel(): Promise<void> {
    throw new Error('EIO: i/o error, write');
  }
  async updatePersistedChannel(): Promise<void> {
    throw new Error('EIO: i/o error, write');
  }
  async readAllChannels(): Promise<StoredChannel[]> {
    return [];
  }
}

/** Alice (with `impl` as her `createChannel`, funded unless told otherwise) linked to Bob. */
async function aliceAndBob(impl: CreateChannel, options: { funded?: boolean; failPersist?: boolean; bobConfig?: UserConfig } = {}) {
  const { client, faucet } = await checkChain();
  const broadcaster = new RelayingBroadcaster(client);
  const alice = await liveNode(client, 'alice', {
    classes: await nodeWith('createChannel', impl),
    broadcaster,
    persister: options.failPersist ? () => new FailingPersister() : undefined,
  });
  const bob = await liveNode(client, 'bob', { classes: await referenceNode(), config: options.bobConfig });
  const network = new InProcessNetwork();
  network.connect(alice.manager, bob.manager);
  if (options.funded ?? true) await fundLiveNode(client, faucet, alice, WALLET_SAT, [alice, bob], network);
  return { client, alice, bob, network, broadcaster };
}

/** The status `createChannel` answers; a throw (other than "not written yet") fails the check with `hint`. */
async function statusOf(call: Promise<ChannelOpenStatus>, hint: string): Promise<ChannelOpenStatus> {
  try {
    return await call;
  } catch (err) {
    if (isErrorOf(err, NotImplementedError) || isErrorOf(err, CheckFailure)) throw err;
    throw new CheckFailure('what createChannel did', 'a `Failure` status returned', `it threw ${(err as Error)?.name ?? 'something'}: ${String((err as Error)?.message ?? err).split('\n')[0]}`, hint);
  }
}

const RETURN_FAILURE = 'when `openChannel()` answers Failure, `return status` as it is: never throw, never exit';

export const tests: ExerciseTest<CreateChannel>[] = [
  {
    name: 'opens a channel: Success, its monitor watched and on disk, the funding transaction broadcast',
    async run(impl) {
      const t = await aliceAndBob(impl);
      const status = await statusOf(t.alice.manager.createChannel(t.bob.keysManager.nodeId, CHANNEL_SAT), 'with a funded wallet and a willing peer, the open must succeed');
      expectEqual(status.kind, 'Success', 'createChannel status', 'create the OutboundV1Channel, add it to `this.registry.outbound`, `await channel.openChannel()`, and on Success hand its monitor to `watchChannel`');
      if (status.kind !== 'Success') return;
      const { txid, vout } = status.fundingOutpoint;
      expectThat(t.alice.chainMonitor.monitors.get(outpointKey(status.fundingOutpoint)) === status.channelMonitor, "the monitor in Alice's ChainMonitor", 'the one returned in Success', 'missing or another',
        '`await this.chainMonitor.watchChannel(status.fundingOutpoint, channelMonitor)` with `this.newMonitor(status.monitorInit)`, and return that monitor');
      const onDisk = (await t.alice.store.readAllMonitors()).map((m) => m.key);
      expectThat(onDisk.includes(fundingOutpointKey(txid, vout)), 'monitors on disk after createChannel', `one for ${txid}:${vout}`, `[${onDisk.join(', ')}]`,
        'the monitor is persisted by `watchChannel`: call it before broadcasting');
      expectEqual(t.broadcaster.broadcast.map((tx) => tx.getId()).join(', '), txid, 'transactions broadcast', 'broadcast `status.fundingTx` with `this.broadcaster.broadcastTransactions(...)` once watchChannel answered Completed');
      expectEqual(await t.client.getConfirmations(txid), 0, 'confirmations of the funding transaction (0: in the mempool)', 'broadcast the funding transaction');
      expectThat(t.alice.manager.channel(status.channelId) !== undefined, 'the channel in `this.registry.funded`', 'registered', 'missing',
        '`this.registry.funded.set(status.channel.channelId, status.channel)` before broadcasting, so later messages and blocks reach it');
    },
  },
  {
    name: 'not enough coins: a Failure comes back (no throw), nothing watched, nothing broadcast',
    async run(impl) {
      const t = await aliceAndBob(impl, { funded: false });
      const status = await statusOf(t.alice.manager.createChannel(t.bob.keysManager.nodeId, CHANNEL_SAT), RETURN_FAILURE);
      expectEqual(status.kind, 'Failure', 'createChannel status with an empty wallet', RETURN_FAILURE);
      expectEqual(t.alice.chainMonitor.monitors.size, 0, 'monitors watched after a failed open', 'call `watchChannel` only when `openChannel()` answered Success');
      expectEqual(t.broadcaster.broadcast.length, 0, 'transactions broadcast after a failed open', 'broadcast nothing when the open failed');
    },
  },
  {
    name: 'the counterparty refuses: a Failure comes back (no throw), nothing watched, nothing broadcast',
    async run(impl) {
      const t = await aliceAndBob(impl, { bobConfig: userConfig({ handshake: { minFundingSat: 2_000_000n } }) });
      const status = await statusOf(t.alice.manager.createChannel(t.bob.keysManager.nodeId, CHANNEL_SAT), RETURN_FAILURE);
      expectEqual(status.kind, 'Failure', 'createChannel status when Bob refuses', RETURN_FAILURE);
      expectEqual(t.alice.chainMonitor.monitors.size, 0, 'monitors watched after a refused open', 'call `watchChannel` only when `openChannel()` answered Success');
      expectEqual(t.broadcaster.broadcast.length, 0, 'transactions broadcast after a refused open', 'broadcast nothing when the open failed');
      expectEqual(t.alice.wallet.spendableBalanceSat(), WALLET_SAT, "Alice's spendable coins after the refusal", 'keep the channel in `this.registry.outbound` while it opens, so it hears the refusal and unlocks the coins');
    },
  },
  {
    name: 'watchChannel answers UnrecoverableError: a Failure, and the funding transaction is NOT broadcast',
    async run(impl) {
      const t = await aliceAndBob(impl, { failPersist: true });
      const status = await statusOf(t.alice.manager.createChannel(t.bob.keysManager.nodeId, CHANNEL_SAT),
        "when watchChannel does not answer Completed, return `channel.abandon(new MonitorPersistFailedError(...))`; don't throw");
      expectEqual(t.broadcaster.broadcast.length, 0, 'transactions broadcast when the monitor could not be stored',
        "check watchChannel's status: unless it is `Completed`, never broadcast — nobody would watch the channel after a crash");
      expectEqual(status.kind, 'Failure', 'createChannel status when watchChannel answers UnrecoverableError',
        'unless watchChannel answered `Completed`, return `channel.abandon(new MonitorPersistFailedError(status.channel.channelId, \'watchChannel\', persisted))`');
      if (status.kind !== 'Failure') return;
      expectThat(isErrorOf(status.error, MonitorPersistFailedError), 'the Failure error', 'a MonitorPersistFailedError', status.error?.name ?? String(status.error),
        'return `channel.abandon(new MonitorPersistFailedError(status.channel.channelId, \'watchChannel\', persisted))`');
      expectEqual(t.alice.wallet.spendableBalanceSat(), WALLET_SAT, "Alice's spendable coins after the abandoned open", '`channel.abandon(...)` unlocks the coins the funding transaction would have spent, and tells Bob');
    },
  },
];
