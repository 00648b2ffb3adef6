/**
 * Both ends of one channel, advanced together in one process: the quickest way to get real, signed
 * commitment transactions and revocation secrets for an exercise, a check or a test, without the BOLT 2
 * message dance (the ChannelManager does that dance for real).
 *
 * Alice funds the channel. Both sides move from commitment n to n+1 together; moving on reveals each
 * side's secret for commitment n, exactly what `revoke_and_ack` carries (BOLT 2 "Completing the
 * Transition to the Updated State").
 */
import { channelIdFromFundingOutpoint } from '../channel/ids.js';
import { DUST_LIMIT_SAT } from '../ln/fees.js';
import type { Transaction } from 'bitcoinjs-lib';
import { buildChannelCommitment, signCommitment, finalizeCommitment, type ChannelParameters, type ChannelSide, type ChannelState } from '../ln/channel.js';
import type { CommitmentTransaction } from '../ln/commitment.js';
import type { ChannelKeys } from '../ln/keys-manager.js';
import { secretIndexForCommitment } from '../ln/secrets.js';
import type { OutPoint } from '../ln/types.js';
import type { BestBlock } from '../chain/interfaces.js';
import type { ChannelMonitorInit } from '../monitor/channel-monitor-state.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';

export type Party = 'alice' | 'bob';

export interface ChannelPairOptions {
  readonly aliceKeys: ChannelKeys;
  readonly bobKeys: ChannelKeys;
  readonly fundingOutpoint: OutPoint;
  readonly channelValueSat: bigint;
  /** Blocks each side must wait to spend its own `to_local` (asked by the other side). */
  readonly toSelfDelay: number;
  readonly feeratePerKw: number;
  /** What Alice gives Bob at opening (BOLT 2 `push_msat`). */
  readonly pushMsat?: bigint;
}

/** BOLT 2 recommends 546 sat as `dust_limit_satoshis`, the P2PKH dust threshold of Bitcoin Core. */
const MSAT_PER_SAT = 1000n;

export class ChannelPair {
  readonly keys: Readonly<Record<Party, ChannelKeys>>;
  /** Channel parameters as each party sees them (holder = that party). */
  readonly params: Readonly<Record<Party, ChannelParameters>>;
  commitmentNumber = 0n;
  aliceBalanceMsat: bigint;
  bobBalanceMsat: bigint;
  readonly feeratePerKw: number;
  /** Both balances at each commitment number, so an old commitment is rebuilt exactly as it was signed. */
  private readonly balanceHistory = new Map<bigint, { readonly aliceMsat: bigint; readonly bobMsat: bigint }>();

  constructor(options: ChannelPairOptions) {
    this.keys = { alice: options.aliceKeys, bob: options.bobKeys };
    const party = (keys: ChannelKeys) => ({ pubkeys: keys.pubkeys, toSelfDelay: options.toSelfDelay, dustLimitSat: DUST_LIMIT_SAT });
    const common = { fundingOutpoint: options.fundingOutpoint, channelValueSat: options.channelValueSat };
    this.params = {
      alice: { ...common, funder: 'holder', holder: party(options.aliceKeys), counterparty: party(options.bobKeys) },
      bob: { ...common, funder: 'counterparty', holder: party(options.bobKeys), counterparty: party(options.aliceKeys) },
    };
    const pushMsat = options.pushMsat ?? 0n;
    this.aliceBalanceMsat = options.channelValueSat * MSAT_PER_SAT - pushMsat;
    this.bobBalanceMsat = pushMsat;
    this.feeratePerKw = options.feeratePerKw;
    this.recordBalances();
  }

  private recordBalances(): void {
    this.balanceHistory.set(this.commitmentNumber, { aliceMsat: this.aliceBalanceMsat, bobMsat: this.bobBalanceMsat });
  }

  /**
   * `owner`'s commitment number `n` (default: the current one), unsigned, with its outputs described: with
   * the balances of that commitment, so an old one is exactly what was signed then (what a cheater holds).
   */
  commitment(owner: Party, commitmentNumber = this.commitmentNumber): CommitmentTransaction {
    const balances = this.balanceHistory.get(commitmentNumber);
    if (!balances) throw new RangeError(`ChannelPair.commitment: expected a commitment number from 0 to ${this.commitmentNumber}, got ${commitmentNumber}`);
    const state: ChannelState = {
      commitmentNumber,
      holderBalanceMsat: owner === 'alice' ? balances.aliceMsat : balances.bobMsat,
      counterpartyBalanceMsat: owner === 'alice' ? balances.bobMsat : balances.aliceMsat,
      feeratePerKw: this.feeratePerKw,
      htlcs: [],
    };
    return buildChannelCommitment(this.params[owner], 'holder' satisfies ChannelSide, state, this.keys[owner].perCommitmentPoint(commitmentNumber));
  }

  /** `owner`'s commitment, signed by both parties: what `owner` can broadcast. */
  signedCommitment(owner: Party, commitmentNumber = this.commitmentNumber): Transaction {
    const other: Party = owner === 'alice' ? 'bob' : 'alice';
    const commitment = this.commitment(owner, commitmentNumber);
    return finalizeCommitment(
      this.params[owner],
      commitment,
      signCommitment(commitment, this.keys[owner].fundingSecret),
      signCommitment(commitment, this.keys[other].fundingSecret),
    );
  }

  /**
   * Moves `amountMsat` from `payer` to the other side and advances both commitments by one. Returns, per
   * party, the monitor updates its ChainMonitor must persist: the counterparty's secret for the commitment
   * just revoked, and the new commitments.
   */
  pay(payer: Party, amountMsat: bigint): Record<Party, ChannelMonitorUpdate[]> {
    const balance = payer === 'alice' ? this.aliceBalanceMsat : this.bobBalanceMsat;
    if (amountMsat <= 0n || amountMsat > balance) {
      throw new RangeError(`ChannelPair.pay: expected 0 < amount ≤ ${balance} msat (the payer's balance), got ${amountMsat}`);
    }
    if (payer === 'alice') {
      this.aliceBalanceMsat -= amountMsat;
      this.bobBalanceMsat += amountMsat;
    } else {
      this.bobBalanceMsat -= amountMsat;
      this.aliceBalanceMsat += amountMsat;
    }
    const revoked = this.commitmentNumber;
    this.commitmentNumber += 1n;
    this.recordBalances();
    return { alice: this.updatesFor('alice', revoked), bob: this.updatesFor('bob', revoked) };
  }

  /** Updates for `party`'s monitor after commitment `revoked` was replaced by the current one. */
  private updatesFor(party: Party, revoked: bigint): ChannelMonitorUpdate[] {
    const other: Party = party === 'alice' ? 'bob' : 'alice';
    const theirs = this.commitment(other);
    return [
      { kind: 'CommitmentSecret', index: secretIndexForCommitment(revoked), secret: this.keys[other].perCommitmentSecret(revoked) },
      { kind: 'LatestHolderCommitmentTx', commitmentTx: this.signedCommitment(party), commitmentNumber: this.commitmentNumber, htlcs: [] },
      {
        kind: 'LatestCounterpartyCommitmentTx',
        txid: theirs.tx.getId(),
        commitmentNumber: this.commitmentNumber,
        perCommitmentPoint: this.keys[other].perCommitmentPoint(this.commitmentNumber),
        htlcs: [],
      },
    ];
  }

  /** What `party`'s ChannelMonitor starts from when the channel opens. */
  monitorInit(party: Party, destinationScript: Uint8Array, bestBlock: BestBlock): ChannelMonitorInit {
    const keys = this.keys[party];
    const { txid, vout } = this.params[party].fundingOutpoint;
    return {
      channelId: channelIdFromFundingOutpoint({ txid, vout }),
      params: this.params[party],
      secrets: {
        revocationBasepointSecret: keys.revocationBasepointSecret,
        delayedPaymentBasepointSecret: keys.delayedPaymentBasepointSecret,
        htlcBasepointSecret: keys.htlcBasepointSecret,
        paymentBasepointSecret: keys.paymentBasepointSecret,
        commitmentSeed: keys.commitmentSeed,
      },
      destinationScript,
      bestBlock,
      holderCommitmentTx: this.signedCommitment(party),
    };
  }
}
