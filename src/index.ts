/**
 * `lightning-lab`: what a notebook and a learner's exercise cell use, and nothing else. Each name here is
 * part of the workshop's contract with learners, so the list is pinned by a test
 * (`tests/workshop/public-surface.test.ts`) with a budget: adding a name is a decision, not an accident.
 * Everything else — BOLT 3 builders, the grader, process helpers — is in `lightning-lab/internal`
 * (`./internal.ts`), for the project's own tests and tools.
 */

// The node learners complete, and the statuses its seams answer.
export { ChannelMonitor, ChainMonitor, ChannelManager, assertSameChannel } from './node/index.js';
export type { ChannelOpenStatus, CloseStatus, NodeClasses, RejectedBroadcast } from './node/index.js';
export { ChannelMonitorUpdateStatus, PAYMENT_PREIMAGE_BYTES, outpointKey } from './monitor/index.js';
export type { ChannelMonitorUpdate, ChannelClosure, ChannelMonitorInit, ClassifiedSpend, Reaction, WatchedOutput } from './monitor/index.js';
export type { BestBlock, BroadcasterInterface, Confirm, ConfirmationTarget, FeeEstimator, Filter, Watch } from './chain/interfaces.js';
export type { OutPoint } from './ln/types.js';

// The deep dives' BOLT 3 building blocks: the secret store and how its secrets derive one another.
export { CounterpartyCommitmentSecrets, secretBucket } from './ln/secret-store.js';
export { deriveSecret, secretIndexForCommitment } from './ln/secrets.js';
export { SECP256K1_ORDER, deriveRevocationPublicKey, publicKeyFromSecret } from './ln/keys.js';
export { InvalidSecretError } from './ln/errors.js';

// What a learner's code may throw or meet.
export { NotImplementedError, WorkshopError } from './errors.js';
export { ChannelAlreadyWatchedError, InvalidMonitorUpdateError, UnknownChannelError } from './monitor/errors.js';
export { MonitorPersistFailedError, OutboundV1Channel, asWorkshopError } from './channel/index.js';
export { PeerNotConnectedError } from './peer/errors.js';
export { BroadcastRejectedError } from './chain/errors.js';

// The live chain.
export { BitcoindClient } from './chain/bitcoind-client.js';
export { rpcConfigFromEnv } from './chain/config.js';
export { FAUCET_OUTPUT_SCRIPT, Faucet } from './chain/regtest/faucet.js';

// Storage.
export { FileStore } from './persist/file-store.js';
export { KVStoreMonitorPersister, WholeMonitorPersist, fileStorePersister } from './persist/monitor-persister.js';
export type { Persist } from './persist/persist.js';

// Notebook cells: check, hint, solution, and the end-of-notebook summary.
export { check, giveUp, hint, solution, summary } from './workshop/notebook.js';

// The demo channel and the fakes notebooks 01–03 run on.
export { DEMO_ALICE_DESTINATION, DEMO_CHANNEL_VALUE_SAT, DEMO_FUNDING_OUTPUT, demoChannelPair } from './workshop/demo-channel.js';
export { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from './workshop/fakes.js';

// Your code in later notebooks, and live nodes to run it in.
export { notebookOpened, yourNode } from './workshop/kernel-api.js';
export type { PartSource, YourNode } from './workshop/kernel-api.js';
export { assembleComponents } from './workshop/your-code.js';
export type { YourFunctions } from './workshop/your-code.js';
export { deliverBlocks, fundLiveNode, liveNode, mineAndDeliver } from './workshop/live-node.js';
export type { LiveNode } from './workshop/live-node.js';
export { scratchDir } from './workshop/scratch-dir.js';
export { InProcessNetwork } from './peer/network.js';

// Notebook 05's cheater and its live diagram, and notebook 06's measurements and watchtower.
export { buildDelayedOutputSweep } from './ln/claims.js';
export { flowDiagram, shortTxid } from './workshop/flow-diagram.js';
export { findHolderToLocal } from './monitor/claims.js';
export { chainMonitorWithChannels, randomBlockTransactions, timeBlocks } from './workshop/scale-demo.js';
export { spawnWatchtower } from './workshop/watchtower.js';
