/**
 * The `ChannelManager`: the off-chain half of a node. It opens channels (BOLT 2 messages to the peer, a
 * funding transaction from the wallet), moves payments through them, forwards other people's, and closes
 * them; every step a channel takes is first handed to the `chainMonitor` (a `Watch`), and a channel whose
 * monitor update does not come back `Completed` stops where it is.
 *
 * The ⚡️ exercise is `createChannel` (a hole here; see `./assemble.ts`), after the seed's
 * `create_channel → OutboundV1Channel::new → open_channel() → ChannelOpenStatus → watch_channel`.
 * Messages are handled in `peer-handler.ts`, payments and forwarding in `payment-handler.ts`.
 * @see BOLT 2 "Channel Establishment"
 */
import type { Block } from 'bitcoinjs-lib';
import type { BestBlock, BroadcasterInterface, Confirm, FeeEstimator, Watch } from '../chain/interfaces.js';
import { NotImplementedError, WorkshopError } from '../errors.js';
import { channelFundingOutput } from '../ln/channel.js';
import { bytesToHex } from '../ln/bytes.js';
import type { KeysManager } from '../ln/keys-manager.js';
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorInit } from '../monitor/channel-monitor-state.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';
import { ChannelRegistry, DEFAULT_USER_CONFIG, asWorkshopError, type Channel, type ChannelOpenContext, type UserConfig } from '../channel/index.js';
import { ANNOUNCEMENT_MIN_DEPTH, Gossiper, NetworkGraph, REGTEST_CHAIN_HASH, encodeShortChannelId, type AnnounceableChannel, type UtxoLookup } from '../gossip/index.js';
import type { Route } from '../gossip/router.js';
import type { InvoiceLike, PaymentResult } from '../payments/index.js';
import { PeerNotConnectedError, type PeerHandle, type PeerMessage, type PeerMessageHandler } from '../peer/index.js';
import type { OnChainWallet } from '../wallet/wallet.js';
import { ChannelMonitor, type ChannelMonitorClass } from './channel-monitor.js';
import type { NodeContext } from './node-context.js';
import { PaymentHandler } from './payment-handler.js';
import { PeerHandler } from './peer-handler.js';

/** How `createChannel` ended: the seed's `ChannelOpenStatus::{Success, Failure}`. */
export type ChannelOpenStatus =
  | { readonly kind: 'Success'; readonly channelId: string; readonly fundingOutpoint: OutPoint; readonly channelMonitor: ChannelMonitor }
  | { readonly kind: 'Failure'; readonly error: WorkshopError };

/** What a ChannelManager needs of its chain monitor: `Watch` for channels and updates, `Confirm` for blocks. */
export type NodeChainMonitor = Watch<ChannelMonitor, ChannelMonitorUpdate> & Confirm;

/** How a close request ended (the close itself completes on chain). */
export type CloseStatus = { readonly kind: 'Started'; readonly txid?: string } | { readonly kind: 'Failure'; readonly error: WorkshopError };

export interface ChannelManagerOptions {
  readonly keysManager: KeysManager;
  /** Where channels and their updates go, and blocks too: the node's `ChainMonitor`. */
  readonly chainMonitor: NodeChainMonitor;
  readonly wallet: OnChainWallet;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** The chain tip when the node starts; `blockConnected` moves it on. */
  readonly bestBlock: BestBlock;
  readonly config?: UserConfig;
  /** Defaults to regtest's. */
  readonly chainHash?: Uint8Array;
  /** Lets gossip check announced channels on chain; without it only signatures are checked. */
  readonly utxoLookup?: UtxoLookup;
}

export class ChannelManager implements PeerMessageHandler {
  /** The monitor class `newMonitor` builds; an assembled subclass sets its own (see `./assemble.ts`). */
  static monitorClass: ChannelMonitorClass = ChannelMonitor;

  readonly chainMonitor: NodeChainMonitor;
  readonly wallet: OnChainWallet;
  readonly keysManager: KeysManager;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  readonly nodeId: Uint8Array;
  readonly config: UserConfig;
  readonly chainHash: Uint8Array;
  /** Channels being opened (`outbound`, `inbound`) and funded ones (`funded`). */
  readonly registry = new ChannelRegistry();
  /** Our view of the network (announced channels and their fees), for routing. */
  readonly gossiper: Gossiper;
  /** Invoices, and the HTLCs we forward. */
  readonly payments: PaymentHandler;
  bestBlock: BestBlock;
  /** What went wrong while handling messages and events (refused opens, failed channels...), newest last. */
  readonly errors: WorkshopError[] = [];
  readonly #peers: PeerHandler;
  readonly #links = new Map<string, PeerHandle>();
  #nextChannelKeyId = 0;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(options: ChannelManagerOptions) {
    this.chainMonitor = options.chainMonitor;
    this.wallet = options.wallet;
    this.keysManager = options.keysManager;
    this.broadcaster = options.broadcaster;
    this.feeEstimator = options.feeEstimator;
    this.nodeId = options.keysManager.nodeId;
    this.config = options.config ?? DEFAULT_USER_CONFIG;
    this.chainHash = options.chainHash ?? REGTEST_CHAIN_HASH;
    this.bestBlock = options.bestBlock;
    this.gossiper = new Gossiper(new NetworkGraph(this.chainHash, options.utxoLookup), options.keysManager.nodeSecret, this.nodeId, this.config.forwarding, {
      sendTo: (nodeId, message) => this.#sendTo(nodeId, message),
      broadcast: (message, except) => {
        for (const link of this.#links.values()) if (!except || bytesToHex(link.nodeId) !== bytesToHex(except)) link.send(message);
      },
    });
    const context = this.#context();
    this.payments = new PaymentHandler(context);
    this.#peers = new PeerHandler(context, this.payments);
  }

  /**
   * ⚡️ Exercise `createChannel` (notebook 04). Opens a channel of `channelValueSats` to the connected peer
   * `theirNetworkKey`, funded from our wallet: run the BOLT 2 exchange (`channel.openChannel()`), hand the
   * channel's monitor to the ChainMonitor, and broadcast the funding transaction only once that monitor is
   * durably stored. Never rejects: any failure is a returned `Failure`.
   * @see BOLT 2 "Channel Establishment"
   */
  async createChannel(theirNetworkKey: Uint8Array, channelValueSats: bigint): Promise<ChannelOpenStatus> {
    throw new NotImplementedError('createChannel', 'ChannelManager.prototype.createChannel');
  }

  /** A `ChannelMonitor` of this node's monitor class for a channel that is opening. */
  newMonitor(init: ChannelMonitorInit): ChannelMonitor {
    return new (this.constructor as typeof ChannelManager).monitorClass(init);
  }

  /** Starts a cooperative close (shutdown, then closing_signed); the funder broadcasts the agreed transaction. */
  closeChannel(channelId: string): Promise<CloseStatus> {
    return this.exclusive(async () => {
      try {
        this.registry.get(channelId, 'closeChannel').close.start();
        return { kind: 'Started' } as const;
      } catch (err) {
        return { kind: 'Failure', error: asWorkshopError(err) } as const;
      }
    });
  }

  /**
   * Broadcasts our latest commitment; our monitor claims our `to_local` once `to_self_delay` has passed.
   * The peer is not sent an `error` (it would broadcast its own commitment too): it sees the close on chain.
   */
  forceCloseChannel(channelId: string): Promise<CloseStatus> {
    return this.exclusive(async () => {
      try {
        const tx = this.registry.get(channelId, 'forceCloseChannel').forceClose('force-closed by the user');
        const [txid] = await this.broadcaster.broadcastTransactions(tx);
        return { kind: 'Started', txid } as const;
      } catch (err) {
        return { kind: 'Failure', error: asWorkshopError(err) } as const;
      }
    });
  }

  /** Pays an invoice: directly if we have a channel with the payee, else along a route found in our gossip graph. */
  sendPayment(invoice: InvoiceLike, options: { route?: Route } = {}): Promise<PaymentResult> {
    return this.payments.sendPayment(invoice, options);
  }

  /** A new invoice to be paid to us; we keep its preimage. */
  createInvoice(amountMsat: bigint): InvoiceLike {
    return this.payments.createInvoice(amountMsat);
  }

  /** A funded channel by id. */
  channel(channelId: string): Channel | undefined {
    return this.registry.funded.get(channelId);
  }

  /** Every funded channel. */
  listChannels(): Channel[] {
    return this.registry.list();
  }

  // ----- Chain -----

  /**
   * A new block, in chain order: feeds the wallet, the ChainMonitor (which may broadcast claims), then the
   * channels (funding confirmations, `channel_ready`, announcements, closes).
   */
  blockConnected(block: Block, height: number): Promise<void> {
    return this.exclusive(async () => {
      this.wallet.blockConnected(block, height);
      // Inside the node's lock, so no monitor update of a channel step interleaves with the block's.
      await this.chainMonitor.transactionsConfirmed(block, block.transactions ?? [], height);
      this.bestBlock = Object.freeze({ hash: block.getId(), height });
      const txs = block.transactions ?? [];
      for (const channel of this.registry.list()) {
        const { txid, vout } = channel.fundingOutpoint;
        const index = txs.findIndex((tx) => tx.getId() === txid);
        if (index >= 0 && channel.fundingHeight === undefined) {
          const output = txs[index]!.outs[vout];
          const expected = channelFundingOutput(channel.params);
          if (!output || output.value !== expected.amountSat || bytesToHex(output.script) !== bytesToHex(expected.scriptPubKey)) {
            await this.#peers.failChannel(channel, new WorkshopError('FUNDING_MISMATCH', `funding output ${txid}:${vout} is not the 2-of-2 of ${expected.amountSat} sat agreed`));
            continue;
          }
          channel.fundingConfirmed(height, encodeShortChannelId({ blockHeight: height, txIndex: index, outputIndex: vout }));
        }
        const spend = txs.find((tx) => tx.ins.some((input) => Buffer.from(input.hash).reverse().toString('hex') === txid && input.index === vout));
        if (spend) channel.markClosed(spend.getId());
        await this.payments.handleEvents(channel, channel.bestBlockUpdated(height));
        await this.#announceIfReady(channel);
      }
    });
  }

  // ----- Peers -----

  peerConnected(peer: PeerHandle): void {
    this.#links.set(bytesToHex(peer.nodeId), peer);
  }

  /** Whether we have a link to the node `nodeId` (see `peerConnected`). */
  isPeerConnected(nodeId: Uint8Array): boolean {
    return this.#links.has(bytesToHex(nodeId));
  }

  /** One message from a peer (see `PeerHandler`). */
  handleMessage(from: Uint8Array, raw: unknown): Promise<void> {
    return this.exclusive(() => this.#peers.handle(from, raw));
  }

  /** Runs `task` alone: messages, commands and blocks never interleave inside one node. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(task);
    this.#lock = result.catch(() => undefined);
    return result;
  }

  /** Fresh channel keys, wallet scripts for claims and the close, and I/O bound to the peer. */
  channelContext(counterpartyNodeId: Uint8Array): ChannelOpenContext {
    const keys = this.keysManager.channelKeys(this.#nextChannelKeyId++);
    // `to_remote` outputs on the peer's commitments pay our payment basepoint: let the wallet see them.
    this.wallet.importKey(keys.paymentBasepointSecret);
    return {
      keys,
      counterpartyNodeId,
      config: this.config,
      chainHash: this.chainHash,
      io: {
        send: (message) => this.#sendTo(counterpartyNodeId, message),
        updateMonitor: (fundingOutpoint, update) => this.chainMonitor.updateChannel(fundingOutpoint, update),
      },
      destinationScript: this.wallet.receiveScript(),
      shutdownScript: this.wallet.receiveScript(),
      bestBlock: () => this.bestBlock,
    };
  }

  #sendTo(nodeId: Uint8Array, message: PeerMessage): void {
    const link = this.#links.get(bytesToHex(nodeId));
    if (!link) throw new PeerNotConnectedError('send', bytesToHex(nodeId));
    link.send(message);
  }

  // ----- Gossip -----

  /** Sends our half of `channel`'s announcement once it is ready and six blocks deep. */
  async #announceIfReady(channel: Channel): Promise<void> {
    const deep = channel.fundingHeight !== undefined && this.bestBlock.height - channel.fundingHeight + 1 >= ANNOUNCEMENT_MIN_DEPTH;
    if (this.config.handshake.announceChannels && deep && channel.phase === 'Ready') await this.gossiper.channelAnnounceable(this.#announceable(channel));
  }

  #announceable(channel: Channel): AnnounceableChannel {
    return {
      channelId: channel.channelId,
      shortChannelId: channel.shortChannelId ?? 0n,
      counterpartyNodeId: channel.counterpartyNodeId,
      holderFundingSecret: channel.keys.fundingSecret,
      holderFundingPubkey: channel.params.holder.pubkeys.fundingPubkey,
      counterpartyFundingPubkey: channel.params.counterparty.pubkeys.fundingPubkey,
      capacitySat: channel.params.channelValueSat,
    };
  }

  /** The narrow view of this node its handlers get (see `./node-context.ts`). */
  #context(): NodeContext {
    return {
      nodeId: this.nodeId,
      config: this.config,
      registry: this.registry,
      gossiper: this.gossiper,
      broadcaster: this.broadcaster,
      chainMonitor: this.chainMonitor,
      errors: this.errors,
      bestBlock: () => this.bestBlock,
      exclusive: (task) => this.exclusive(task),
      sendTo: (nodeId, message) => this.#sendTo(nodeId, message),
      channel: (channelId) => this.channel(channelId),
      listChannels: () => this.listChannels(),
      channelContext: (nodeId) => this.channelContext(nodeId),
      newMonitor: (init) => this.newMonitor(init),
      announceIfReady: (channel) => this.#announceIfReady(channel),
      announceable: (channel) => this.#announceable(channel),
    };
  }
}

/** The constructor of `ChannelManager` or of a subclass with exercises filled in. */
export type ChannelManagerClass = typeof ChannelManager;
