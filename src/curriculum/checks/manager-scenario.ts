/**
 * The scene of the `createChannel` checks, on the live regtest chain: Alice, whose `ChannelManager` runs
 * the learner's `createChannel` (every other method of the node as `src/node` has it), with a wallet funded
 * on chain, a check-owned ChainMonitor writing to a real FileStore in a temporary folder, and a broadcaster
 * that relays to the node; and her peers (Bob, Carol…), plain `ChannelManager`s with a `PeerWatch`, linked
 * to her by an `InProcessNetwork`.
 *
 * `callCreateChannel` is how a check calls the learner's function: it also catches the mistakes that show
 * only in *how* it returned — work still running (a missing `await`), the BOLT 2 exchange still going, or
 * no return at all because the peer's answers never reached the opening channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelNotFoundError } from '../../channel/errors.js';
import { userConfig, type ChannelHandshakeConfig } from '../../channel/config.js';
import { bytesToHex } from '../../ln/bytes.js';
import { KeysManager } from '../../ln/keys-manager.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import { assembleNode, HOLED_NODE } from '../../node/assemble.js';
import { ChannelManager, type ChannelOpenStatus } from '../../node/channel-manager.js';
import { ChannelMonitor } from '../../node/channel-monitor.js';
import { InProcessNetwork } from '../../peer/network.js';
import { FileStore } from '../../persist/file-store.js';
import { KVStoreMonitorPersister, WholeMonitorPersist } from '../../persist/monitor-persister.js';
import { OnChainWallet } from '../../wallet/wallet.js';
import { CheckFailure, isErrorOf } from '../check/expect.js';
import { checkPick, checkRandomBytes } from '../check/context.js';
import type { CheckChain, FundedWallet } from './manager-chain.js';
import {
  PeerWatch, RelayingBroadcaster, ScenarioChainMonitor, SilentBroadcaster, TargetedFeeEstimator, WRITE_STEPS, checkFileSystem,
  type WatchAnswer,
} from './manager-doubles.js';

/**
 * Node defines these globals lazily: the first read replaces a getter with the value. A grading child locks
 * the globals' bindings before the learner's cell runs, after which that first read throws ("Cannot redefine
 * property: TextDecoder") — so read them now, as this module loads (before the lock). The node's code needs
 * them: `TextDecoder` to verify a monitor record before writing it, for one.
 */
const LAZY_GLOBALS = ['TextDecoder', 'TextEncoder', 'AbortController', 'AbortSignal', 'performance', 'crypto'] as const;
for (const name of LAZY_GLOBALS) void (globalThis as Record<string, unknown>)[name];

/** `createChannel` as the learner writes it. */
export type CreateChannel = (this: ChannelManager, theirNetworkKey: Uint8Array, channelValueSats: bigint) => Promise<ChannelOpenStatus>;

/**
 * The monitor class of Alice's node. `this.newMonitor(init)` builds one of these; a monitor built with
 * `new ChannelMonitor(…)` is of the plain class, which in later notebooks lacks the learner's own methods.
 */
export class NodeChannelMonitor extends ChannelMonitor {}

/**
 * A `createChannel` that has not returned this long after it was called is stuck (an honest one takes well
 * under a second here); it is reported before the check's own time limit cuts it off without a reason.
 */
const STUCK_AFTER_MS = 12_000;

export interface Opener {
  readonly manager: ChannelManager;
  readonly wallet: OnChainWallet;
  readonly funded: FundedWallet;
  readonly feeEstimator: TargetedFeeEstimator;
  readonly chainMonitor: ScenarioChainMonitor;
  readonly broadcaster: RelayingBroadcaster;
  /** Alice's FileStore, as it is on disk. */
  readonly store: KVStoreMonitorPersister;
  height: number;
}

export interface Peer {
  readonly name: string;
  readonly manager: ChannelManager;
  readonly nodeId: Uint8Array;
  height: number;
}

export interface PeerOptions {
  readonly name: string;
  /** What the peer's own ChainMonitor answers when it stores its monitor of the channel. */
  readonly watchAnswer?: ChannelMonitorUpdateStatus;
  readonly handshake?: Partial<ChannelHandshakeConfig>;
}

export interface Scene {
  readonly chain: CheckChain;
  readonly alice: Opener;
  readonly peers: readonly Peer[];
  readonly network: InProcessNetwork;
  /** Waits for work still running, then removes the scene's folder. */
  cleanup(): Promise<void>;
}

/** Alice (with `impl` as `createChannel` and the wallet `funded`) linked to a peer per `peers`. */
export async function openingScene(chain: CheckChain, impl: CreateChannel, funded: FundedWallet, watchAnswer: WatchAnswer, peers: readonly PeerOptions[]): Promise<Scene> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-check-'));
  try {
    const fs = checkFileSystem(watchAnswer === 'Completed' ? undefined : checkPick(WRITE_STEPS));
    const store = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'alice'), { fs }));
    const chainMonitor = new ScenarioChainMonitor(new WholeMonitorPersist(store), watchAnswer);
    const broadcaster = new RelayingBroadcaster(chain.client, chainMonitor);
    const classes = assembleNode({ ChannelManager: { createChannel: impl } }, { ...HOLED_NODE, ChannelMonitor: NodeChannelMonitor });
    const bestBlock = await chain.client.getBestBlock();
    const manager = new classes.ChannelManager({
      keysManager: funded.keysManager, chainMonitor, wallet: funded.wallet, broadcaster, feeEstimator: funded.feeEstimator, bestBlock,
    });
    const alice: Opener = { manager, wallet: funded.wallet, funded, feeEstimator: funded.feeEstimator, chainMonitor, broadcaster, store, height: bestBlock.height };
    const network = new InProcessNetwork();
    const linked = peers.map((options) => {
      const keysManager = new KeysManager(checkRandomBytes());
      const feeEstimator = new TargetedFeeEstimator();
      const peer = new ChannelManager({
        keysManager, chainMonitor: new PeerWatch(options.watchAnswer ?? ChannelMonitorUpdateStatus.Completed), wallet: new OnChainWallet(keysManager, feeEstimator), broadcaster: new SilentBroadcaster(),
        feeEstimator, bestBlock, config: userConfig({ handshake: options.handshake }),
      });
      network.connect(manager, peer);
      return { name: options.name, manager: peer, nodeId: keysManager.nodeId, height: bestBlock.height };
    });
    const cleanup = async () => {
      await Promise.all([chainMonitor.settled(), broadcaster.settled(), network.settle()]);
      rmSync(dir, { recursive: true, force: true });
    };
    return { chain, alice, peers: linked, network, cleanup };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** How a call of the learner's `createChannel` ended. */
export type CallOutcome = { readonly returned: ChannelOpenStatus } | { readonly threw: unknown };

/**
 * Calls the learner's `createChannel` from Alice to `peer`, and fails the check — with the reason — when
 * it got stuck because `peer`'s answers found no opening channel, when work it started was still running
 * as it returned, or when the exchange went on after it returned.
 */
export async function callCreateChannel(scene: Scene, peer: Peer, channelValueSat: bigint): Promise<CallOutcome> {
  const { alice, network } = scene;
  const outcome = await untilReturnedOrStuck(scene, () => alice.manager.createChannel(peer.nodeId, channelValueSat));
  if (alice.chainMonitor.inFlight > 0) {
    throw new CheckFailure('what createChannel waited for', '`watchChannel` answered before createChannel returned', 'still storing the monitor',
      'did you `await` `this.chainMonitor.watchChannel(...)`? Its answer decides whether you may broadcast');
  }
  if (alice.broadcaster.inFlight > 0) {
    throw new CheckFailure('what createChannel waited for', 'the node answered the broadcast before createChannel returned', 'the broadcast still on its way',
      'did you `await` `this.broadcaster.broadcastTransactions(...)`? A refusal must become your Failure, not an error nobody catches');
  }
  const early = alice.broadcaster.calls.find((call) => call.watchStates.some((state) => state === 'never watched' || state === 'not answered yet'));
  if (early) {
    const state = early.watchStates.find((s) => s === 'never watched' || s === 'not answered yet')!;
    throw new CheckFailure('when the funding transaction was broadcast', 'after watchChannel answered Completed',
      state === 'never watched' ? 'before its monitor was handed to watchChannel' : 'before watchChannel had answered',
      'first `await` watchChannel and look at its answer; broadcast only on `Completed` — the money must never be on chain before its monitor is on disk');
  }
  const seen = network.log.length;
  await network.settle();
  const aliceHex = bytesToHex(alice.manager.nodeId);
  const late = network.log.slice(seen).filter((m) => m.to === aliceHex && (m.type === 'accept_channel' || m.type === 'funding_signed'));
  if (late.length > 0) {
    throw new CheckFailure('the BOLT 2 exchange when createChannel returned', 'over (openChannel() resolved)', `still going: ${late.map((m) => m.type).join(', ')} arrived afterwards`,
      'did you `await channel.openChannel()`? It resolves only once funding_signed (or a refusal) arrived');
  }
  return outcome;
}

/** Resolves with how `call` ended; rejects with a CheckFailure if it is stuck (see `callCreateChannel`). */
function untilReturnedOrStuck(scene: Scene, call: () => Promise<ChannelOpenStatus>): Promise<CallOutcome> {
  const errors = scene.alice.manager.errors;
  const before = errors.length;
  return new Promise<CallOutcome>((resolve, reject) => {
    let over = false;
    const finish = (result: () => void) => {
      if (over) return;
      over = true;
      clearTimeout(stuckTimer);
      result();
    };
    const lost = () => errors.slice(before).find((err) => isErrorOf(err, ChannelNotFoundError));
    const stuckTimer = setTimeout(() => finish(() => reject(stuckFailure(lost()))), STUCK_AFTER_MS);
    // Alice's node records a message it could not route; watch for it on this node's own list.
    Object.defineProperty(errors, 'push', {
      configurable: true,
      value: (...items: unknown[]) => {
        const length = Array.prototype.push.apply(errors, items as never[]);
        const found = lost();
        if (found) finish(() => reject(stuckFailure(found)));
        return length;
      },
    });
    Promise.resolve()
      .then(call)
      .then(
        (returned) => finish(() => resolve({ returned })),
        (threw: unknown) => finish(() => resolve({ threw })),
      );
  });
}

function stuckFailure(lost: unknown): CheckFailure {
  if (lost) {
    return new CheckFailure("Bob's answer to open_channel", 'delivered to the channel being opened', `Alice's node found no such channel (${String((lost as Error).message).split('\n')[0]})`,
      'keep the channel in `this.registry.outbound` while it opens: that is where the node looks for it when accept_channel (or an error) arrives');
  }
  return new CheckFailure('createChannel', `an answer within ${STUCK_AFTER_MS / 1000} s`, 'still waiting',
    'every step of an open answers quickly here; is something awaited that never settles?');
}

/** Hands every block Alice or her peers have not seen yet to them, in order, letting messages settle after each. */
export async function deliverNewBlocks(scene: Scene): Promise<void> {
  const { client } = scene.chain;
  const nodes = [scene.alice, ...scene.peers];
  const { height: tip } = await client.getBestBlock();
  for (let height = Math.min(...nodes.map((n) => n.height)) + 1; height <= tip; height++) {
    const block = await client.getBlock(await client.getBlockHash(height));
    for (const node of nodes) {
      if (node.height >= height) continue;
      await node.manager.blockConnected(block, height);
      node.height = height;
    }
    await scene.network.settle();
  }
}
