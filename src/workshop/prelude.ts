/**
 * The imports every notebook's setup cell starts with, and that a learner's exercise cell may rely on.
 * The grader compiles an exercise cell after exactly these lines, so a cell graded outside Jupyter sees
 * the same names as in Jupyter.
 */
export const NOTEBOOK_PRELUDE = `import { Block, Transaction } from 'bitcoinjs-lib';
import {
  BitcoindClient, ChannelAlreadyWatchedError, ChannelMonitorUpdateStatus, InvalidMonitorUpdateError, MonitorPersistFailedError,
  NotImplementedError, OutboundV1Channel, PAYMENT_PREIMAGE_BYTES, PeerNotConnectedError, UnknownChannelError, asWorkshopError,
  fundingOutpointKey, outpointKey, rpcConfigFromEnv,
  type BroadcasterInterface, type ChannelMonitorUpdate, type FeeEstimator, type OutPoint,
} from 'lightning-lab';
import { ChainMonitor, ChannelManager, ChannelMonitor, assertSameChannel, type ChannelOpenStatus } from 'lightning-lab/solutions';
import { check, hint, solution } from 'lightning-lab';`;
