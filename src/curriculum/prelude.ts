/**
 * The imports every notebook's setup cell starts with: the node's classes (with their holes), the types
 * and errors the exercises use, and the notebook's own `check`, `hint` and `solution`. A notebook's
 * setup cell may add imports of its own after these lines; the grader compiles an exercise cell after
 * exactly its notebook's setup cell, so a cell graded outside Jupyter sees the names it sees in Jupyter.
 */
export const NOTEBOOK_PRELUDE = `import { Block, Transaction } from 'bitcoinjs-lib';
import {
  BitcoindClient, ChainMonitor, ChannelAlreadyWatchedError, ChannelManager, ChannelMonitor, ChannelMonitorUpdateStatus,
  InvalidMonitorUpdateError, MonitorPersistFailedError, NotImplementedError, OutboundV1Channel, PAYMENT_PREIMAGE_BYTES,
  PeerNotConnectedError, UnknownChannelError, asWorkshopError, assertSameChannel, outpointKey, rpcConfigFromEnv,
  type BroadcasterInterface, type ChannelMonitorUpdate, type ChannelOpenStatus, type FeeEstimator, type OutPoint,
} from 'lightning-lab';
import { check, giveUp, hint, notebookOpened, solution, yourNode } from 'lightning-lab';`;

/**
 * The whole setup cell of notebook `name` whose source adds `extra` (maybe empty) after the prelude; its
 * last line tells the kernel which notebook it runs (`yourNode()` reads this notebook's exercises from the
 * cells as run, the others from the saved notebooks).
 */
export function setupCellSource(extra: string, name: string): string {
  return `${extra ? `${NOTEBOOK_PRELUDE}\n${extra}` : NOTEBOOK_PRELUDE}\nnotebookOpened('${name}');`;
}
