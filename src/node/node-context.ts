/**
 * What the `ChannelManager`'s two helpers — the peer handler (messages) and the payment handler (HTLCs,
 * forwarding) — may use of their node: a narrow view, so the class learners program against keeps its
 * internals to itself, and each helper states exactly what it depends on.
 */
import type { BestBlock, BroadcasterInterface, Watch } from '../chain/interfaces.js';
import type { WorkshopError } from '../errors.js';
import type { Channel, ChannelOpenContext, ChannelRegistry, UserConfig } from '../channel/index.js';
import type { AnnounceableChannel, Gossiper } from '../gossip/index.js';
import type { ChannelMonitorInit } from '../monitor/channel-monitor-state.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';
import type { PeerMessage } from '../peer/index.js';
import type { ChannelMonitor } from './channel-monitor.js';

export interface NodeContext {
  readonly nodeId: Uint8Array;
  readonly config: UserConfig;
  readonly registry: ChannelRegistry;
  readonly gossiper: Gossiper;
  readonly broadcaster: BroadcasterInterface;
  readonly chainMonitor: Watch<ChannelMonitor, ChannelMonitorUpdate>;
  /** Where failures met while handling messages and events are recorded, newest last. */
  readonly errors: WorkshopError[];
  bestBlock(): BestBlock;
  /** Runs `task` alone: messages, commands and blocks never interleave inside one node. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  sendTo(nodeId: Uint8Array, message: PeerMessage): void;
  /** A funded channel by id. */
  channel(channelId: string): Channel | undefined;
  listChannels(): Channel[];
  /** Fresh channel keys and I/O for a channel with `counterpartyNodeId`. */
  channelContext(counterpartyNodeId: Uint8Array): ChannelOpenContext;
  /** A monitor of the node's monitor class (an assembled one carries the learner's methods). */
  newMonitor(init: ChannelMonitorInit): ChannelMonitor;
  announceIfReady(channel: Channel): Promise<void>;
  announceable(channel: Channel): AnnounceableChannel;
}
