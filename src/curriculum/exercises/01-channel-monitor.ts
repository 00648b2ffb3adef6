/** Registry entries of notebook 01, the ChannelMonitor. */
import type { Exercise } from '../exercise.js';

export const CHANNEL_MONITOR_EXERCISES: readonly Exercise[] = [
  {
    id: 'blockConnected',
    functionName: 'blockConnected',
    component: 'ChannelMonitor',
    notebook: '01-channel-monitor',
    title: 'react to a new block',
    track: 'core',
    minutes: 20,
    reading: 'BOLT 5 "Revoked Transaction Close Handling"; BOLT 3 "Revocation key"',
    prompt: `Write \`blockConnected\`. The \`ChainMonitor\` calls it with every new block: the header, the block's
transactions, its height, and the node's broadcaster and fee estimator. (The \`ChainMonitor\` owns those
two; a monitor only borrows them for the block.)

For each transaction that spends a watched output, the monitor must react:

1. remember the block as its new \`bestBlock\` (\`this.bestBlockOf(header, height)\` makes one);
2. skip every transaction for which \`this.spendsWatchedOutput(tx)\` is false — a real block starts with a
   coinbase and is mostly other people's payments;
3. ask the fee estimator for a feerate fit for a race: a justice transaction must confirm before the
   cheater's delay runs out. Then build the reaction with \`this.reactTo(tx, height, feeratePerKw)\`: for a
   revoked commitment it is a real, signed justice transaction;
4. broadcast the reaction's \`claims\` with \`this.broadcast(broadcaster, claims)\` (it records a refusal instead
   of throwing);
5. add the reaction's \`outputsToWatch\` to the list with \`this.watchOutputs(...)\`, so the monitor also sees
   its own claim confirm.

The last line is given: it broadcasts claims whose timelock has matured (our own \`to_local\` after a force
close). Connecting the same block twice must change nothing (\`reactTo\` remembers what it handled).`,
    hints: [
      'Only transactions that spend an output in `outputsToWatch` matter; each of the numbered steps is one call to a helper the monitor already has.',
      'Read LDK\'s `ConfirmationTarget` docs for the feerate to ask for; the reaction `reactTo` returns is `{ claims, outputsToWatch }`, and both go to helpers named in the steps.',
    ],
    minesBlocks: false,
  },
  {
    id: 'classifySpend',
    functionName: 'classifySpend',
    component: 'ChannelMonitor',
    notebook: '01-channel-monitor',
    title: 'recognise the spend',
    track: 'deep-dive',
    minutes: 20,
    reading: 'BOLT 3 "Commitment Transaction" (the obscured commitment number); BOLT 5 "Unilateral Close Handling", "Revoked Transaction Close Handling"',
    prompt: `Write \`classifySpend(tx)\`: \`tx\` spends the channel's funding output, and \`reactTo\` needs to know what
it is before it can react. Return one of:

| answer | when |
|---|---|
| \`{ kind: 'CooperativeClose' }\` | \`tx\` carries no commitment markers (a closing transaction sets none) |
| \`{ kind: 'HolderCommitment', commitmentNumber }\` | it is one of **our** commitments: \`this.isHolderCommitment(tx, commitmentNumber)\` |
| \`{ kind: 'RevokedCommitment', commitmentNumber, perCommitmentSecret }\` | theirs, and we hold its secret: \`this.commitmentSecrets.getSecret(secretIndexForCommitment(commitmentNumber))\` |
| \`{ kind: 'CounterpartyCommitment', commitmentNumber }\` | theirs, not revoked (yet) |

A commitment hides its 48-bit number: BOLT 3 XORs it with \`this.obscuringFactor\` and splits the result
between the locktime and the sequence of the input, under a marker byte in each. Decode it, and decide in an
order that cannot mistake our own old commitment for a revoked one of theirs.`,
    hints: [
      'A commitment number says which state; the same number exists on both sides. So the number alone does not tell whose commitment this is — and a revealed secret only matters for theirs.',
      'BOLT 3 "Commitment Transaction": which byte of locktime and of sequence is the marker, which 24 bits of the obscured number each carries.',
    ],
    minesBlocks: false,
  },
  {
    id: 'revocationPrivkey',
    functionName: 'revocationPrivkey',
    component: 'ChannelMonitor',
    notebook: '01-channel-monitor',
    title: 'derive the revocation key',
    track: 'deep-dive',
    minutes: 20,
    reading: 'BOLT 3 "Key Derivation", "`revocationpubkey` Derivation"; Appendix E',
    prompt: `Write \`revocationPrivkey(perCommitmentSecret)\`: the private key that spends every revocation path of a
commitment Bob revoked. \`reactTo\` signs the justice transaction with it (and refuses, with an
\`InvalidSecretError\`, a key that does not match the commitment's \`revocationpubkey\`).

You hold two secrets: ours, \`this.secrets.revocationBasepointSecret\`, and the one Bob revealed when he
revoked, \`perCommitmentSecret\`. Their public points are \`publicKeyFromSecret(secret)\` (33 bytes,
compressed). BOLT 3 multiplies each secret by its own tweak — a SHA256 of the two points, the secret's own
point first — adds the two products, and reduces modulo the curve order \`SECP256K1_ORDER\` (a \`bigint\`).

- Hash with \`createHash('sha256')\` (imported in the setup cell); bytes become a \`bigint\` via their hex.
- Return exactly 32 big-endian bytes, leading zeros included.
- Check yourself: \`publicKeyFromSecret(key)\` must equal \`deriveRevocationPublicKey(basepoint, point)\`.`,
    hints: [
      'Neither side alone may know this key: Bob must not (he needs our secret), and we must not until he reveals his. So the key mixes both secrets, each blinded by a hash that commits to both points.',
      'BOLT 3 "`revocationpubkey` Derivation": the formula for `revocationprivkey` is at the end of the section; Appendix E gives its inputs and output.',
    ],
    minesBlocks: false,
  },
];
