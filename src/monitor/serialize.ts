/**
 * A ChannelMonitor's state as a persisted record (`encodeJsonRecord`: magic, kind, format version,
 * checksum). Transactions are stored as hex, maps as entry lists; bigint and bytes are tagged by the
 * record encoder. Bump `MONITOR_FORMAT_VERSION` when the shape changes.
 */
import { Transaction } from 'bitcoinjs-lib';
import { decodeJsonRecord, encodeJsonRecord } from '../persist/json-record.js';
import type { ChannelMonitorInit, ChannelMonitorState } from './channel-monitor-state.js';

export const MONITOR_RECORD_KIND = 'channel-monitor';
export const MONITOR_FORMAT_VERSION = 1;

type Stored = Record<string, unknown>;

export function monitorToBytes(monitor: ChannelMonitorState): Uint8Array {
  const stored: Stored = {
    channelId: monitor.channelId,
    params: monitor.params,
    secrets: monitor.secrets,
    destinationScript: monitor.destinationScript,
    bestBlock: monitor.bestBlock,
    currentCommitmentTx: monitor.currentCommitmentTx?.toHex() ?? null,
    commitmentSecrets: monitor.commitmentSecrets.toBytes(),
    preimages: monitor.preimages,
    outputsToWatch: [...monitor.outputsToWatch],
    holderCommitmentNumber: monitor.holderCommitmentNumber,
    counterpartyCommitments: [...monitor.counterpartyCommitments],
    claims: [...monitor.claims],
    pendingClaims: monitor.pendingClaims,
    handledTxids: [...monitor.handledTxids],
    closure: monitor.closure,
  };
  return encodeJsonRecord(MONITOR_RECORD_KIND, MONITOR_FORMAT_VERSION, stored);
}

/** Restores the state into a fresh monitor made by `create` (so subclasses restore as themselves). */
export function monitorFromBytes<M extends ChannelMonitorState>(
  bytes: Uint8Array,
  create: (init: ChannelMonitorInit) => M,
  fileNameForErrors = 'channel monitor record',
): M {
  const { value } = decodeJsonRecord<Stored>(bytes, fileNameForErrors, {
    kind: MONITOR_RECORD_KIND,
    formatVersion: MONITOR_FORMAT_VERSION,
  });
  const monitor = create({
    channelId: value.channelId as string,
    params: value.params as ChannelMonitorInit['params'],
    secrets: value.secrets as ChannelMonitorInit['secrets'],
    destinationScript: value.destinationScript as Uint8Array,
    bestBlock: value.bestBlock as ChannelMonitorInit['bestBlock'],
  });
  const hex = value.currentCommitmentTx as string | null;
  monitor.currentCommitmentTx = hex ? Transaction.fromHex(hex) : null;
  // The store's class is the monitor's (an assembled monitor keeps its filled-in `provideSecret`).
  monitor.commitmentSecrets = (monitor.constructor as typeof ChannelMonitorState).secretStoreClass.fromBytes(value.commitmentSecrets as Uint8Array);
  monitor.preimages = value.preimages as Uint8Array[];
  monitor.outputsToWatch = new Map(value.outputsToWatch as ChannelMonitorState['outputsToWatch'] extends Map<infer K, infer V> ? [K, V][] : never);
  monitor.holderCommitmentNumber = value.holderCommitmentNumber as bigint;
  monitor.counterpartyCommitments = new Map(value.counterpartyCommitments as [string, never][]);
  monitor.claims = new Map(value.claims as [string, string][]);
  monitor.pendingClaims = value.pendingClaims as ChannelMonitorState['pendingClaims'];
  monitor.handledTxids = new Set(value.handledTxids as string[]);
  monitor.closure = value.closure as ChannelMonitorState['closure'];
  return monitor;
}
