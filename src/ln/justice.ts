/**
 * The justice (penalty) transaction: when the counterparty broadcasts a commitment it has revoked, we
 * know its per-commitment secret, hence the revocation private key, and take every output that would
 * have paid them — `to_local` and any HTLC outputs — in one transaction, before their `to_self_delay`
 * runs out. Everything is rebuilt from what a ChannelMonitor stores; nothing trusts the cheater's tx
 * beyond finding our scripts in it.
 * @see BOLT 3 "`to_local` Output"
 * @see BOLT 5 "Revoked Transaction Close Handling"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { bytesToHex, equalBytes } from './bytes.js';
import { InvalidSecretError, OutputNotFoundError } from './errors.js';
import { MSAT_PER_SAT, type FeeratePerKw } from './fees.js';
import { derivePublicKey, deriveRevocationPublicKey, publicKeyFromSecret } from './keys.js';
import { offeredHtlcScript, p2wshScriptPubKey, receivedHtlcScript, toLocalScript } from './scripts.js';
import { perCommitmentPoint } from './secrets.js';
import { buildSweep, SEQUENCE_RBF_NO_LOCK, type SweepInput } from './sweep.js';
import { assertHtlc, DEFAULT_CHANNEL_TYPE, type ChannelType, type CommitmentHtlc } from './types.js';

/** `<revocation_sig> 1`: a non-empty top item takes the to_local script's OP_IF (revocation) branch. */
const REVOCATION_BRANCH_SELECTOR = Uint8Array.of(1);
/** Justice transactions are not timelocked: they must confirm before the cheater's delay expires. */
const JUSTICE_LOCKTIME = 0;

/**
 * The HTLCs of the revoked commitment, if it had any, and the HTLC basepoints to rebuild their scripts.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export interface JusticeHtlcs {
  /** Directions as the revoked commitment's owner (the counterparty) saw them: `offered` = they offered to us. */
  readonly htlcs: readonly CommitmentHtlc[];
  /** The counterparty's `htlc_basepoint` (BOLT 3 `local_htlcpubkey` on their commitment). */
  readonly counterpartyHtlcBasepoint: Uint8Array;
  /** Our `htlc_basepoint` (BOLT 3 `remote_htlcpubkey` on their commitment). */
  readonly holderHtlcBasepoint: Uint8Array;
}

/**
 * Everything a ChannelMonitor knows when a revoked commitment confirms or appears in the mempool.
 * @see BOLT 3 "`to_local` Output"
 */
export interface JusticeParams {
  readonly revokedCommitmentTx: Transaction;
  /** The secret the counterparty revealed for that commitment (`CounterpartyCommitmentSecrets.getSecret`). */
  readonly perCommitmentSecret: Uint8Array;
  /** Our `revocation_basepoint` secret (`ChannelKeys.revocationBasepointSecret`). */
  readonly revocationBasepointSecret: Uint8Array;
  /**
   * `revocationprivkey` for this commitment, derived from the two secrets above (the monitor's
   * `revocationPrivkey`, a deep dive). Checked against `revocationpubkey` before anything is signed.
   */
  readonly revocationPrivateKey: Uint8Array;
  /** The counterparty's `delayed_payment_basepoint`. */
  readonly counterpartyDelayedPaymentBasepoint: Uint8Array;
  /** The delay on the counterparty's `to_local`: the `to_self_delay` *we* asked for. */
  readonly toSelfDelay: number;
  readonly htlcs?: JusticeHtlcs;
  /** Where the swept funds go: a script of our wallet. */
  readonly destinationScript: Uint8Array;
  /** sat per 1000 weight; pass what `FeeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep')` returned. */
  readonly feeratePerKw: FeeratePerKw;
  /** Defaults to `static_remotekey`; decides the HTLC scripts' shape. */
  readonly channelType?: ChannelType;
}

/**
 * One output of the revoked commitment the justice transaction spends.
 * @see BOLT 3 "`to_local` Output"
 */
export interface SweptOutput {
  readonly outputIndex: number;
  readonly kind: 'to_local' | 'offered_htlc' | 'received_htlc';
  readonly amountSat: bigint;
  readonly htlc: CommitmentHtlc | undefined;
}

/**
 * A signed justice transaction and what it claims.
 * @see BOLT 3 "`to_local` Output"
 */
export interface JusticeTransaction {
  readonly tx: Transaction;
  readonly swept: readonly SweptOutput[];
  /** HTLCs passed in but not found on the revoked commitment (normally: trimmed as dust there). */
  readonly unmatchedHtlcs: readonly CommitmentHtlc[];
  readonly feeSat: bigint;
  readonly estimatedWeight: number;
}

/**
 * Builds and signs the justice transaction for a revoked counterparty commitment: `to_local` with
 * witness `<revocation_sig> 1`, each HTLC output with `<revocation_sig> <revocationpubkey>`, one output to
 * `destinationScript`, fee = feerate × estimated weight. Throws `OutputNotFoundError` when nothing on
 * the transaction matches (wrong secret, basepoint or delay) and `FeeTooHighError` when sweeping costs
 * more than it recovers.
 * @see BOLT 5 "Revoked Transaction Close Handling"
 */
export function buildJusticeTx(params: JusticeParams): JusticeTransaction {
  const channelType = params.channelType ?? DEFAULT_CHANNEL_TYPE;
  const revoked = params.revokedCommitmentTx;
  const txid = revoked.getId();
  const context = `justice tx for revoked commitment ${txid}`;
  const commitmentPoint = perCommitmentPoint(params.perCommitmentSecret);
  const revocationBasepoint = publicKeyFromSecret(params.revocationBasepointSecret, 'buildJusticeTx revocationBasepointSecret');
  const revocationPubkey = deriveRevocationPublicKey(revocationBasepoint, commitmentPoint);
  const revocationSecret = params.revocationPrivateKey;
  // A wrong key would sign a witness the chain refuses; say so here, where the cause is known.
  const keyOf = publicKeyFromSecret(revocationSecret, 'buildJusticeTx revocationPrivateKey');
  if (!equalBytes(keyOf, revocationPubkey)) {
    throw new InvalidSecretError(
      'buildJusticeTx revocationPrivateKey',
      `the secret key of revocationpubkey ${bytesToHex(revocationPubkey)}`,
      `the secret key of ${bytesToHex(keyOf)}`,
      'derive it as BOLT 3 "revocationpubkey Derivation" says (ChannelMonitor.revocationPrivkey)',
    );
  }
  const delayedPubkey = derivePublicKey(params.counterpartyDelayedPaymentBasepoint, commitmentPoint);

  // Each output is claimed at most once, even when two HTLCs have identical scripts and amounts.
  const claimed = new Set<number>();
  const findOutput = (scriptPubKey: Uint8Array, amountSat?: bigint): number | undefined => {
    const index = revoked.outs.findIndex(
      (out, i) => !claimed.has(i) && equalBytes(out.script, scriptPubKey) && (amountSat === undefined || out.value === amountSat),
    );
    if (index < 0) return undefined;
    claimed.add(index);
    return index;
  };

  const inputs: SweepInput[] = [];
  const swept: SweptOutput[] = [];
  const addInput = (outputIndex: number, witnessScript: Uint8Array, lastItem: Uint8Array, kind: SweptOutput['kind'], htlc?: CommitmentHtlc) => {
    const amountSat = (revoked.outs[outputIndex] as { value: bigint }).value;
    inputs.push({
      outpoint: { txid, vout: outputIndex },
      amountSat,
      witnessScript,
      sequence: SEQUENCE_RBF_NO_LOCK,
      secretKey: revocationSecret,
      witnessItemsAfterSignature: [lastItem],
    });
    swept.push(Object.freeze({ outputIndex, kind, amountSat, htlc }));
  };

  const toLocal = toLocalScript(revocationPubkey, params.toSelfDelay, delayedPubkey);
  const toLocalIndex = findOutput(p2wshScriptPubKey(toLocal));
  // A missing to_local is legitimate: the cheater's balance may have been below their dust limit.
  if (toLocalIndex !== undefined) addInput(toLocalIndex, toLocal, REVOCATION_BRANCH_SELECTOR, 'to_local');

  const unmatchedHtlcs: CommitmentHtlc[] = [];
  if (params.htlcs !== undefined) {
    const scriptKeys = {
      revocationPubkey,
      localHtlcPubkey: derivePublicKey(params.htlcs.counterpartyHtlcBasepoint, commitmentPoint),
      remoteHtlcPubkey: derivePublicKey(params.htlcs.holderHtlcBasepoint, commitmentPoint),
    };
    params.htlcs.htlcs.forEach((htlc, i) => {
      assertHtlc(htlc, `buildJusticeTx htlcs[${i}]`);
      const keys = { ...scriptKeys, paymentHash: htlc.paymentHash };
      const witnessScript =
        htlc.direction === 'offered' ? offeredHtlcScript(keys, channelType) : receivedHtlcScript(keys, htlc.cltvExpiry, channelType);
      const index = findOutput(p2wshScriptPubKey(witnessScript), htlc.amountMsat / MSAT_PER_SAT);
      if (index === undefined) unmatchedHtlcs.push(htlc);
      // The revocation branch checks the key against the hash in the script, so the key itself goes on the stack.
      else addInput(index, witnessScript, revocationPubkey, htlc.direction === 'offered' ? 'offered_htlc' : 'received_htlc', htlc);
    });
  }

  if (inputs.length === 0) {
    throw new OutputNotFoundError(
      context,
      `an output paying P2WSH(to_local) = ${bytesToHex(p2wshScriptPubKey(toLocal))} or one of ${params.htlcs?.htlcs.length ?? 0} HTLC scripts`,
      `none among its ${revoked.outs.length} outputs`,
    );
  }
  const sweep = buildSweep({
    context,
    inputs,
    destinationScript: params.destinationScript,
    feeratePerKw: params.feeratePerKw,
    locktime: JUSTICE_LOCKTIME,
  });
  return Object.freeze({
    tx: sweep.tx,
    swept: Object.freeze(swept),
    unmatchedHtlcs: Object.freeze(unmatchedHtlcs),
    feeSat: sweep.feeSat,
    estimatedWeight: sweep.estimatedWeight,
  });
}
