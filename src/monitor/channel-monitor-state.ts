/**
 * Everything a `ChannelMonitor` knows about one channel, and the helpers its ⚡️ methods use. The
 * exercise methods themselves (`blockConnected`, `updateMonitor`) live in `solutions/channel-monitor.ts`,
 * in a class that extends this one, so a learner writes only those.
 *
 * @see LDK `ChannelMonitor` (lightning/src/chain/channelmonitor.rs), trimmed to what the workshop needs.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BestBlock } from '../chain/interfaces.js';
import { NotImplementedError } from '../errors.js';
import { channelObscuringFactor, type ChannelParameters } from '../ln/channel.js';
import { fundingOutput } from '../ln/funding.js';
import { CounterpartyCommitmentSecrets, type CounterpartyCommitmentSecretsClass } from '../ln/secret-store.js';
import { perCommitmentPoint, perCommitmentSecret, secretIndexForCommitment } from '../ln/secrets.js';
import { buildDelayedOutputSweep, type DelayedOutput } from '../ln/claims.js';
import { buildJusticeTx } from '../ln/justice.js';
import type { CommitmentHtlc, OutPoint } from '../ln/types.js';
import { findHolderToLocal, type MonitorSecrets } from './claims.js';
import { outpointKey, spentOutpoints } from './outpoints.js';
import type { ChannelMonitorUpdate } from './updates.js';

/** What `outputsToWatch` holds per txid: `[output index, output script]` pairs (the seed's shape). */
export type WatchedOutput = [vout: number, scriptPubKey: Uint8Array];

/** How the channel ended on-chain, once it has. */
export type ChannelClosure =
  | { readonly kind: 'CooperativeClose'; readonly txid: string; readonly height: number }
  | { readonly kind: 'HolderForceClose'; readonly txid: string; readonly height: number }
  | { readonly kind: 'CounterpartyForceClose'; readonly txid: string; readonly height: number; readonly commitmentNumber: bigint }
  | { readonly kind: 'RevokedCommitment'; readonly txid: string; readonly height: number; readonly commitmentNumber: bigint };

/**
 * What a transaction that spends the funding output is (`classifySpend` decides): a mutual close, one of
 * our commitments, the counterparty's commitment that is still current, or one they revoked — with the
 * secret they revealed for it, which is what makes every output of it ours.
 * @see BOLT 5 "Mutual Close Handling", "Unilateral Close Handling", "Revoked Transaction Close Handling"
 */
export type ClassifiedSpend =
  | { readonly kind: 'CooperativeClose' }
  | { readonly kind: 'HolderCommitment'; readonly commitmentNumber: bigint }
  | { readonly kind: 'CounterpartyCommitment'; readonly commitmentNumber: bigint }
  | { readonly kind: 'RevokedCommitment'; readonly commitmentNumber: bigint; readonly perCommitmentSecret: Uint8Array };

/** What the monitor decided to do about one transaction that spends something it watches. */
export interface Reaction {
  /** Transactions to broadcast now (e.g. a justice transaction). */
  readonly claims: Transaction[];
  /** Outputs to add to `outputsToWatch`, by txid. */
  readonly outputsToWatch: Map<string, WatchedOutput[]>;
}

/** A claim that must wait for a relative timelock (our own `to_local` after a force close). */
export interface PendingClaim {
  readonly output: DelayedOutput;
  /** The first block height at which the claim may be broadcast. */
  readonly broadcastAtHeight: number;
}

/** What a monitor is built from when its channel opens. */
export interface ChannelMonitorInit {
  readonly channelId: string;
  readonly params: ChannelParameters;
  readonly secrets: MonitorSecrets;
  /** Where claimed funds go: a script of our wallet. */
  readonly destinationScript: Uint8Array;
  /** The chain tip when the channel opened; the monitor watches from here. */
  readonly bestBlock: BestBlock;
  /** Our first commitment, fully signed (the one we would broadcast to force-close). */
  readonly holderCommitmentTx?: Transaction | null;
}

/** What we know of each counterparty commitment we signed, by txid. */
export interface CounterpartyCommitmentInfo {
  readonly commitmentNumber: bigint;
  readonly perCommitmentPoint: Uint8Array;
  readonly htlcs: readonly CommitmentHtlc[];
}

let lastFunding: { readonly key: string; readonly script: Uint8Array } | undefined;

/**
 * The funding output's script, remembered for the last key pair: validating two pubkeys costs most of a
 * monitor's construction, and a node reloading (or a benchmark building) many monitors of one peer asks
 * for the same pair again and again.
 */
function fundingScriptPubKey(ours: Uint8Array, theirs: Uint8Array, valueSat: bigint): Uint8Array {
  const key = `${Buffer.from(ours).toString('hex')}${Buffer.from(theirs).toString('hex')}${valueSat}`;
  if (lastFunding?.key !== key) lastFunding = { key, script: fundingOutput(ours, theirs, valueSat).scriptPubKey };
  return lastFunding.script;
}

/**
 * A header's hash, computed once per header object: a ChainMonitor hands the same header to thousands of
 * monitors, and double-SHA256 for each would dominate the cost of a block.
 */
const headerHashes = new WeakMap<Block, string>();
function blockHash(header: Block): string {
  let hash = headerHashes.get(header);
  if (hash === undefined) headerHashes.set(header, (hash = header.getId()));
  return hash;
}

export class ChannelMonitorState {
  /**
   * The class of `commitmentSecrets`: the store whose `provideSecret` is a deep dive. `assembleNode` sets it
   * on an assembled monitor class, so its monitors store secrets with the filled-in insert.
   */
  static secretStoreClass: CounterpartyCommitmentSecretsClass = CounterpartyCommitmentSecrets;

  // ----- What the seed lists -----
  readonly channelId: string;
  readonly fundingOutpoint: OutPoint;
  readonly channelValueSats: bigint;
  /** Our newest fully signed commitment transaction, or null before the channel has one. */
  currentCommitmentTx: Transaction | null;
  bestBlock: BestBlock;
  /** The counterparty's revealed per-commitment secrets, in BOLT 3's compact store. */
  commitmentSecrets: CounterpartyCommitmentSecrets;
  /** Payment preimages we learned, each stored once. */
  preimages: Uint8Array[];
  /** txid → the outputs of that transaction we watch: the funding output, then whatever we can claim. */
  outputsToWatch: Map<string, WatchedOutput[]>;

  // ----- What reacting needs -----
  readonly params: ChannelParameters;
  readonly secrets: MonitorSecrets;
  readonly destinationScript: Uint8Array;
  /** Obscures commitment numbers in locktime/sequence; lets us read the number off any commitment. */
  readonly obscuringFactor: bigint;
  holderCommitmentNumber: bigint;
  counterpartyCommitments: Map<string, CounterpartyCommitmentInfo>;
  /** Claims we broadcast, by the outpoint they spend (`txid:vout`) → claim txid. Never claimed twice. */
  claims: Map<string, string>;
  pendingClaims: PendingClaim[];
  /** Transactions already handled, so that connecting a block twice changes nothing. */
  handledTxids: Set<string>;
  closure: ChannelClosure | null;

  constructor(init: ChannelMonitorInit) {
    this.channelId = init.channelId;
    this.params = init.params;
    this.fundingOutpoint = init.params.fundingOutpoint;
    this.channelValueSats = init.params.channelValueSat;
    this.secrets = init.secrets;
    this.destinationScript = init.destinationScript;
    this.bestBlock = init.bestBlock;
    this.currentCommitmentTx = init.holderCommitmentTx ?? null;
    this.commitmentSecrets = new (this.constructor as typeof ChannelMonitorState).secretStoreClass();
    this.preimages = [];
    this.obscuringFactor = channelObscuringFactor(init.params);
    this.holderCommitmentNumber = 0n;
    this.counterpartyCommitments = new Map();
    this.claims = new Map();
    this.pendingClaims = [];
    this.handledTxids = new Set();
    this.closure = null;
    const { pubkeys: ours } = init.params.holder;
    const { pubkeys: theirs } = init.params.counterparty;
    const fundingScript = fundingScriptPubKey(ours.fundingPubkey, theirs.fundingPubkey, init.params.channelValueSat);
    this.outputsToWatch = new Map([[this.fundingOutpoint.txid, [[this.fundingOutpoint.vout, fundingScript]]]]);
  }

  /** Whether `tx` spends one of the outputs in `outputsToWatch`. */
  spendsWatchedOutput(tx: Transaction): boolean {
    return spentOutpoints(tx).some(({ txid, vout }) => this.outputsToWatch.get(txid)?.some(([watched]) => watched === vout));
  }

  /** Adds outputs to `outputsToWatch`, skipping any already there (so a repeated block adds nothing). */
  watchOutputs(outputs: ReadonlyMap<string, readonly WatchedOutput[]>): void {
    for (const [txid, list] of outputs) {
      const watched = this.outputsToWatch.get(txid) ?? [];
      for (const [vout, script] of list) {
        if (!watched.some(([v]) => v === vout)) watched.push([vout, script]);
      }
      this.outputsToWatch.set(txid, watched);
    }
  }

  /** Total number of watched outputs (the ChainMonitor uses it to notice that a monitor's watch list grew). */
  watchedOutputCount(): number {
    let count = 0;
    for (const list of this.outputsToWatch.values()) count += list.length;
    return count;
  }

  /**
   * Decides what to do about `tx`, which spends a watched output. Builds — does not broadcast — the
   * claims: a justice transaction for a revoked counterparty commitment; nothing yet for our own
   * commitment (its `to_local` waits `to_self_delay` blocks, see `maturedClaims`). Records how the channel
   * closed. Returns nothing new for a transaction it has already handled.
   * @see BOLT 5 "Revoked Transaction Close Handling", "Unilateral Close Handling", "Mutual Close Handling"
   */
  reactTo(tx: Transaction, height: number, feeratePerKw: number): Reaction {
    const reaction: Reaction = { claims: [], outputsToWatch: new Map() };
    const txid = tx.getId();
    if (this.handledTxids.has(txid)) return reaction;
    this.handledTxids.add(txid);

    const fundingKey = outpointKey(this.fundingOutpoint);
    if (!spentOutpoints(tx).some((o) => outpointKey(o) === fundingKey)) return reaction; // a claim of ours confirming, or theirs
    const spend = this.classifySpend(tx);
    if (spend.kind === 'CooperativeClose') {
      this.closure = { kind: 'CooperativeClose', txid, height };
      return reaction;
    }
    if (spend.kind === 'HolderCommitment') {
      this.closure = { kind: 'HolderForceClose', txid, height };
      const toLocal = findHolderToLocal(this.params, this.secrets, tx, this.holderPerCommitmentPoint(spend.commitmentNumber));
      if (toLocal) {
        // CSV counts confirmations: with the commitment in block `height`, a spend with nSequence =
        // to_self_delay may enter block height + to_self_delay, so the mempool takes it one block earlier.
        this.pendingClaims.push({ output: toLocal, broadcastAtHeight: height + toLocal.toSelfDelay - 1 });
        reaction.outputsToWatch.set(txid, [[toLocal.outpoint.vout, tx.outs[toLocal.outpoint.vout]!.script]]);
      }
      return reaction;
    }
    const { commitmentNumber } = spend;
    if (spend.kind === 'CounterpartyCommitment') {
      this.closure = { kind: 'CounterpartyForceClose', txid, height, commitmentNumber };
      return reaction;
    }
    const secret = spend.perCommitmentSecret;
    // A commitment the counterparty revoked: every output is ours to take, right now.
    this.closure = { kind: 'RevokedCommitment', txid, height, commitmentNumber };
    const htlcs = [...this.counterpartyCommitments.values()].find((c) => c.commitmentNumber === commitmentNumber)?.htlcs ?? [];
    const justice = buildJusticeTx({
      revokedCommitmentTx: tx,
      perCommitmentSecret: secret,
      revocationBasepointSecret: this.secrets.revocationBasepointSecret,
      revocationPrivateKey: this.revocationPrivkey(secret),
      counterpartyDelayedPaymentBasepoint: this.params.counterparty.pubkeys.delayedPaymentBasepoint,
      toSelfDelay: this.params.counterparty.toSelfDelay,
      htlcs:
        htlcs.length === 0
          ? undefined
          : {
              htlcs,
              counterpartyHtlcBasepoint: this.params.counterparty.pubkeys.htlcBasepoint,
              holderHtlcBasepoint: this.params.holder.pubkeys.htlcBasepoint,
            },
      destinationScript: this.destinationScript,
      feeratePerKw,
    });
    const justiceTxid = justice.tx.getId();
    for (const swept of justice.swept) this.claims.set(outpointKey({ txid, vout: swept.outputIndex }), justiceTxid);
    reaction.claims.push(justice.tx);
    reaction.outputsToWatch.set(txid, justice.swept.map((s) => [s.outputIndex, tx.outs[s.outputIndex]!.script]));
    reaction.outputsToWatch.set(justiceTxid, [[0, justice.tx.outs[0]!.script]]);
    return reaction;
  }

  /**
   * `revocationprivkey` for a commitment whose per-commitment secret the counterparty revealed. A ⚡️ deep
   * dive: `ChannelMonitor` documents it; here the state only declares what `reactTo` calls.
   * @see BOLT 3 "`revocationpubkey` Derivation"
   */
  revocationPrivkey(perCommitmentSecret: Uint8Array): Uint8Array {
    throw new NotImplementedError('revocationPrivkey', 'ChannelMonitor.prototype.revocationPrivkey');
  }

  /** Records our newest commitment or the counterparty's (the two `Latest…CommitmentTx` updates). */
  recordLatestCommitment(
    update: Extract<ChannelMonitorUpdate, { kind: 'LatestHolderCommitmentTx' | 'LatestCounterpartyCommitmentTx' }>,
  ): void {
    if (update.kind === 'LatestHolderCommitmentTx') {
      this.currentCommitmentTx = update.commitmentTx;
      this.holderCommitmentNumber = update.commitmentNumber;
      return;
    }
    this.counterpartyCommitments.set(update.txid, {
      commitmentNumber: update.commitmentNumber,
      perCommitmentPoint: update.perCommitmentPoint,
      htlcs: update.htlcs,
    });
  }

  /** Whether some timelocked claim may be broadcast at `height` (see `maturedClaims`). */
  hasMaturedClaims(height: number): boolean {
    return this.pendingClaims.some((p) => p.broadcastAtHeight <= height);
  }

  /** Claims whose timelock has passed at `height`, built and ready to broadcast; each is returned once. */
  maturedClaims(height: number, feeratePerKw: number): Transaction[] {
    const ready = this.pendingClaims.filter((p) => p.broadcastAtHeight <= height);
    this.pendingClaims = this.pendingClaims.filter((p) => p.broadcastAtHeight > height);
    return ready.map(({ output }) => {
      const sweep = buildDelayedOutputSweep(output, { destinationScript: this.destinationScript, feeratePerKw }).tx;
      this.claims.set(outpointKey(output.outpoint), sweep.getId());
      return sweep;
    });
  }

  /**
   * Whether `tx`, which decodes to commitment number `commitmentNumber`, is one of OUR commitments: our
   * current one, or an older one recognised by its `to_local` script (rebuilt from our keys for that number).
   * @see BOLT 3 "`to_local` Output"
   */
  isHolderCommitment(tx: Transaction, commitmentNumber: bigint): boolean {
    if (this.currentCommitmentTx?.getId() === tx.getId()) return true;
    return findHolderToLocal(this.params, this.secrets, tx, this.holderPerCommitmentPoint(commitmentNumber)) !== undefined;
  }

  /**
   * What `tx`, a spend of the funding output, is. A ⚡️ deep dive: `ChannelMonitor` documents it; here the
   * state only declares what `reactTo` calls.
   * @see BOLT 3 "Commitment Transaction"
   */
  classifySpend(tx: Transaction): ClassifiedSpend {
    throw new NotImplementedError('classifySpend', 'ChannelMonitor.prototype.classifySpend');
  }

  /** Our per-commitment point for commitment number `n`, from our seed. @see BOLT 3 "Per-commitment Secret Requirements" */
  holderPerCommitmentPoint(commitmentNumber: bigint): Uint8Array {
    return perCommitmentPoint(perCommitmentSecret(this.secrets.commitmentSeed, secretIndexForCommitment(commitmentNumber)));
  }

  /** The block's hash and height as the monitor's new best block. */
  protected bestBlockOf(header: Block, height: number): BestBlock {
    return Object.freeze({ hash: blockHash(header), height });
  }
}
