/** Registry entries of notebook 03, updating channels. */
import type { Exercise } from '../exercise.js';

export const UPDATING_CHANNELS_EXERCISES: readonly Exercise[] = [
  {
    id: 'updateMonitor',
    functionName: 'updateMonitor',
    component: 'ChannelMonitor',
    notebook: '03-updating-channels',
    title: 'apply an update to a ChannelMonitor',
    track: 'core',
    minutes: 15,
    reading: 'BOLT 3 "Per-commitment Secret Requirements" (efficient storage); BOLT 2 `revoke_and_ack`',
    prompt: `Write \`updateMonitor\`. The \`if\` blocks for the first two kinds are there:

- \`PaymentPreimage\`: a preimage is exactly \`PAYMENT_PREIMAGE_BYTES\` (32) bytes; throw an
  \`InvalidMonitorUpdateError(message, fix)\` for any other length. Store it in \`this.preimages\` once: if an
  equal one is there already (compare the bytes), keep the list as it is.
- \`CommitmentSecret\`: hand it to the monitor's secret store, \`this.commitmentSecrets\`, which checks it against
  the secrets it holds. Let its error through: a bad secret must stop the update and change nothing.
- the two \`Latest…Commitment\` kinds: remember the newest commitments, so the monitor recognises them on chain
  (\`this.recordLatestCommitment(update)\` does it).`,
    hints: [
      'A secret is only useful if it is the right one: the compact secret store checks each new secret against the old ones, so hand it over rather than keeping it yourself.',
      'Each `update.kind` has its own fields (see `ChannelMonitorUpdate`); the store\'s method is BOLT 3\'s `insert_secret`, here `provideSecret(index, secret)`.',
    ],
    minesBlocks: false,
  },
  {
    id: 'updateChannel',
    functionName: 'updateChannel',
    component: 'ChainMonitor',
    notebook: '03-updating-channels',
    title: 'update and persist a channel before it moves on',
    track: 'core',
    minutes: 15,
    reading: 'LDK `chain::Watch::update_channel`',
    prompt: `Write \`updateChannel(fundingOutpoint, update)\` on the \`ChainMonitor\`. Three things can go wrong, and each
has its own answer:

1. no monitor for that outpoint (look it up with \`outpointKey(fundingOutpoint)\`): throw
   \`new UnknownChannelError(key, this.monitors.size)\`;
2. the monitor rejects the update: \`monitor.updateMonitor(update)\` throws — let it, nothing was written;
3. the write fails: \`this.persister.updatePersistedChannel(fundingOutpoint, update, monitor)\` throws — keep the
   error in \`this.lastPersistError\` and answer \`UnrecoverableError\`.

Otherwise answer \`Completed\`, and only once the write has finished.`,
    hints: [
      'Three things can go wrong: no such channel, a bad update, a failed disk. Each needs its own answer, and the disk is only touched once the update applied.',
      'LDK\'s `Watch::update_channel` docs; the persister\'s `updatePersistedChannel(outpoint, update, monitor)` records the update already applied to `monitor`.',
    ],
    minesBlocks: false,
  },
  {
    id: 'provideSecret',
    functionName: 'provideSecret',
    component: 'CounterpartyCommitmentSecrets',
    notebook: '03-updating-channels',
    title: 'store the counterparty\'s secrets in 49 buckets',
    track: 'deep-dive',
    minutes: 25,
    reading: 'BOLT 3 "Per-commitment Secret Requirements" and "Efficient Per-commitment Secret Storage"; Appendix D',
    prompt: `Write \`provideSecret(index, secret)\`, the insert of the monitor's secret store (BOLT 3's \`insert_secret\`).
It is checked on every storage sequence of BOLT 3 Appendix D: the correct one, and eight in which one secret
was not generated from the same seed and must be refused.

The store keeps \`this.buckets\`: 49 slots, where slot B holds \`{ index, secret }\` for the latest index with
B trailing zero bits (\`secretBucket(index)\` counts them). \`getSecret\`, \`nextIndex\`, \`toBytes\` are given.

1. Secrets arrive one per revocation, counting down from 2^48 - 1: refuse (throw \`InvalidSecretError\`) any
   \`index\` that is not \`this.nextIndex\`.
2. The new secret must derive the secret in **every** lower slot that holds one:
   \`deriveSecret(base, bits, index)\` is BOLT 3's \`derive_secret\`. If one does not match, throw
   \`InvalidSecretError\` — and leave the store exactly as it was.
3. Otherwise store a copy of the secret in its slot and set \`this.lowestIndex\`.

\`InvalidSecretError(context, expected, got, fix)\` takes four strings.`,
    hints: [
      'A secret with more trailing zero bits sits higher in the hash tree: it can regenerate every secret in the slots below it. So the newcomer must be able to regenerate what is already stored, and only then may it replace anything.',
      'BOLT 3 "Efficient Per-commitment Secret Storage" gives `insert_secret` in pseudocode: which bucket, which `derive_secret(base, bits, I)` arguments (the new secret is the base), and when `known[]` is written.',
    ],
    minesBlocks: false,
  },
];
