/**
 * Claims on outputs that pay us after a unilateral close (no revocation involved):
 * - our delayed `to_local` (or an HTLC-success/timeout output) after `to_self_delay`: `<local_delayedsig> <>`;
 * - on the counterparty's commitment, an HTLC they offered us, with the preimage: `<remotehtlcsig> <payment_preimage>`;
 * - on the counterparty's commitment, an HTLC we offered them, after it expires: `<remotehtlcsig> <>`.
 * On their commitment we are BOLT 3's "remote", hence the signature names.
 * @see BOLT 3 "Offered HTLC Outputs"
 * @see BOLT 3 "Received HTLC Outputs"
 */
import { assertIntRange, bytesToHex, equalBytes } from './bytes.js';
import type { CommitmentTransaction } from './commitment.js';
import { InvalidSecretError, OutputNotFoundError } from './errors.js';
import type { FeeratePerKw } from './fees.js';
import { assertPreimage } from './htlc-tx.js';
import { publicKeyFromSecret } from './keys.js';
import { toLocalScript } from './scripts.js';
import { buildSweep, SEQUENCE_RBF_NO_LOCK, type SweepTransaction } from './sweep.js';
import { MAX_TO_SELF_DELAY, type OutPoint } from './types.js';

/** `<local_delayedsig> <>`: an empty top item takes the to_local script's OP_ELSE (delayed) branch. */
const DELAYED_BRANCH_SELECTOR = new Uint8Array(0);
/** `<remotehtlcsig> <>`: an empty item is not preimage-sized, so the received-HTLC script takes its timeout branch. */
const TIMEOUT_BRANCH_SELECTOR = new Uint8Array(0);
/** Anchors HTLC outputs end in `1 OP_CSV`: their spends need nSequence ≥ 1 (and BIP 68 enabled). */
const ANCHORS_HTLC_SEQUENCE = 1;
/** Claims not bound by a timelock. */
const NO_LOCKTIME = 0;

/**
 * Where a claim's funds go and at what feerate.
 * @see BOLT 3 "`to_local` Output"
 */
export interface ClaimDestination {
  readonly destinationScript: Uint8Array;
  /** sat per 1000 weight, from a `FeeEstimator`. */
  readonly feeratePerKw: FeeratePerKw;
}

/**
 * A `to_local`-style output (our commitment's `to_local`, or an HTLC transaction's output).
 * @see BOLT 3 "`to_local` Output"
 */
export interface DelayedOutput {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  /** The commitment's `revocationpubkey` (the counterparty's, derived for our per-commitment point). */
  readonly revocationPubkey: Uint8Array;
  readonly toSelfDelay: number;
  /** `derivePrivateKey(delayedPaymentBasepointSecret, ourPerCommitmentPoint)`. */
  readonly delayedPaymentSecret: Uint8Array;
}

/**
 * Sweeps a delayed output once `toSelfDelay` blocks have passed since it confirmed: nSequence =
 * `to_self_delay` (BIP 68 enforces it), witness `<local_delayedsig> <>`.
 * @see BOLT 3 "`to_local` Output"
 */
export function buildDelayedOutputSweep(output: DelayedOutput, destination: ClaimDestination): SweepTransaction {
  assertIntRange(output.toSelfDelay, 0, MAX_TO_SELF_DELAY, 'buildDelayedOutputSweep toSelfDelay');
  const delayedPubkey = publicKeyFromSecret(output.delayedPaymentSecret, 'buildDelayedOutputSweep delayedPaymentSecret');
  const witnessScript = toLocalScript(output.revocationPubkey, output.toSelfDelay, delayedPubkey);
  return buildSweep({
    context: `delayed sweep of ${output.outpoint.txid}:${output.outpoint.vout}`,
    inputs: [
      {
        outpoint: output.outpoint,
        amountSat: output.amountSat,
        witnessScript,
        sequence: output.toSelfDelay,
        secretKey: output.delayedPaymentSecret,
        witnessItemsAfterSignature: [DELAYED_BRANCH_SELECTOR],
      },
    ],
    destinationScript: destination.destinationScript,
    feeratePerKw: destination.feeratePerKw,
    locktime: NO_LOCKTIME,
  });
}

/**
 * What claiming an HTLC output of the counterparty's commitment needs.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export interface CounterpartyHtlcClaim {
  /** The counterparty's commitment as we built it (`buildCounterpartyCommitment`), now on chain. */
  readonly counterpartyCommitment: CommitmentTransaction;
  readonly outputIndex: number;
  /** Our HTLC key on that commitment: `derivePrivateKey(ourHtlcBasepointSecret, theirPerCommitmentPoint)`. */
  readonly htlcSecret: Uint8Array;
  /** Required to claim an HTLC they offered us; omit to time out one we offered them. */
  readonly paymentPreimage?: Uint8Array;
}

/**
 * Claims an HTLC output of the counterparty's commitment directly (no second stage for us):
 * - an HTLC they offered (`offered` on their commitment): witness `<remotehtlcsig> <payment_preimage>`,
 *   spendable at once;
 * - an HTLC we offered (`received` on their commitment): witness `<remotehtlcsig> <>` with nLockTime =
 *   `cltv_expiry`, valid once that height is reached.
 * With anchors, nSequence is 1 for the scripts' `1 OP_CSV`.
 * @see BOLT 3 "Offered HTLC Outputs"
 * @see BOLT 3 "Received HTLC Outputs"
 */
export function buildCounterpartyHtlcClaim(claim: CounterpartyHtlcClaim, destination: ClaimDestination): SweepTransaction {
  const commitment = claim.counterpartyCommitment;
  const output = commitment.outputs[claim.outputIndex];
  const context = `HTLC claim of ${commitment.tx.getId()}:${claim.outputIndex}`;
  if (output?.htlc === undefined || output.witnessScript === undefined) {
    throw new OutputNotFoundError(context, 'an HTLC output', output === undefined ? 'no such output' : `a ${output.kind} output`);
  }
  const theyOffered = output.htlc.direction === 'offered';
  const lastItem = theyOffered ? assertPreimage(claim.paymentPreimage, output.htlc, context) : TIMEOUT_BRANCH_SELECTOR;
  const sequence = commitment.channelType === 'anchors_zero_fee_htlc_tx' ? ANCHORS_HTLC_SEQUENCE : SEQUENCE_RBF_NO_LOCK;
  const expectedPubkey = commitment.params.keys.countersignatoryHtlcPubkey;
  if (!equalBytes(publicKeyFromSecret(claim.htlcSecret, `${context} htlcSecret`), expectedPubkey)) {
    throw new InvalidSecretError(
      `${context} htlcSecret`,
      `the secret of our HTLC key ${bytesToHex(expectedPubkey)} on that commitment`,
      'a different key',
      'derive it with derivePrivateKey(ourHtlcBasepointSecret, theirPerCommitmentPoint) for this commitment number',
    );
  }
  return buildSweep({
    context,
    inputs: [
      {
        outpoint: { txid: commitment.tx.getId(), vout: claim.outputIndex },
        amountSat: output.amountSat,
        witnessScript: output.witnessScript,
        sequence,
        secretKey: claim.htlcSecret,
        witnessItemsAfterSignature: [lastItem],
      },
    ],
    destinationScript: destination.destinationScript,
    feeratePerKw: destination.feeratePerKw,
    locktime: theyOffered ? NO_LOCKTIME : output.htlc.cltvExpiry,
  });
}
