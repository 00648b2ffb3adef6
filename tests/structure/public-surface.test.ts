/**
 * `lightning-lab` is what notebooks and learners use, and a contract: every name it exports is listed
 * here. Adding one is a decision (update the list, and keep under the budget); the rest of the module is in
 * `lightning-lab/internal`. None of the names may reach an answer or the grader's insides.
 */
import { describe, expect, it } from 'vitest';
import * as surface from '../../src/index.js';

/**
 * The budget: a learner reads this surface in the notebooks' "You can use" lists and in completions; 80
 * names is what the core path, the deep dives and the demos need with room to spare, and far below the
 * 363 the module exported before it was curated.
 */
const BUDGET = 80;

const PINNED = [
  'BitcoindClient', 'BroadcastRejectedError', 'ChainMonitor', 'ChannelAlreadyWatchedError', 'ChannelManager', 'ChannelMonitor',
  'ChannelMonitorUpdateStatus', 'CounterpartyCommitmentSecrets', 'InvalidSecretError', 'deriveSecret', 'secretBucket', 'secretIndexForCommitment', 'SECP256K1_ORDER', 'deriveRevocationPublicKey', 'publicKeyFromSecret', 'DEMO_ALICE_DESTINATION', 'DEMO_CHANNEL_VALUE_SAT', 'DEMO_FUNDING_OUTPUT', 'FAUCET_OUTPUT_SCRIPT',
  'Faucet', 'FileStore', 'FixedFeeEstimator', 'InProcessNetwork', 'InvalidMonitorUpdateError', 'KVStoreMonitorPersister',
  'MonitorPersistFailedError', 'NotImplementedError', 'OutboundV1Channel', 'PAYMENT_PREIMAGE_BYTES', 'PeerNotConnectedError',
  'RecordingBroadcaster', 'UnknownChannelError', 'WholeMonitorPersist', 'WorkshopError', 'asWorkshopError', 'assembleComponents',
  'assertSameChannel', 'buildDelayedOutputSweep', 'chainMonitorWithChannels', 'check', 'deliverBlocks', 'demoChannelPair',
  'fakeHeader', 'fileStorePersister', 'findHolderToLocal', 'flowDiagram', 'fundLiveNode', 'giveUp', 'hint', 'liveNode', 'mineAndDeliver',
  'notebookOpened', 'outpointKey', 'randomBlockTransactions', 'rpcConfigFromEnv', 'scratchDir', 'shortTxid', 'solution', 'spawnWatchtower', 'summary',
  'timeBlocks', 'yourNode',
];

describe('the public surface, lightning-lab', () => {
  const names = Object.keys(surface).sort();

  it('is exactly the pinned list (update PINNED when you add a name on purpose)', () => {
    expect(names).toEqual([...PINNED].sort());
  });

  it(`stays within its budget of ${BUDGET} names`, () => {
    expect(names.length).toBeLessThanOrEqual(BUDGET);
  });

  it('offers nothing that reaches an answer or grades', () => {
    const forbidden = /solution(Cell|File|Source)|reference|runTests|loadTests|EXERCISES|gradeCell|Sandbox|compileCell/i;
    expect(names.filter((name) => forbidden.test(name))).toEqual([]);
  });
});
