/**
 * `Channel`: one funded channel's BOLT 2 steps, from `channel_ready` to the close: offering, claiming and
 * failing HTLCs, and the commitment dance (`commitment_signed` ⇄ `revoke_and_ack`). Every step hands its
 * `ChannelMonitorUpdate` to the ChainMonitor **before** it takes effect (see `ChannelCore.persist`); if the
 * ChainMonitor does not answer `Completed`, the channel halts where it was: nothing sent, nothing revoked,
 * nothing new believed.
 * @see BOLT 2 "Normal Operation"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../ln/bytes.js';
import { perCommitmentPoint, secretIndexForCommitment } from '../ln/secrets.js';
import type { CommitmentSigned, OnionPacket, RevokeAndAck, UpdateAddHtlc, UpdateFailHtlc, UpdateFulfillHtlc } from '../peer/messages.js';
import { ChannelCore, OPERATIONAL_PHASES, type FundedChannelInit } from './channel-core.js';
import { CooperativeClose } from './cooperative-close.js';
import { ChannelNotUsableError, ProtocolViolationError, UnexpectedMessageError } from './errors.js';
import { checkCanAdd } from './htlc-checks.js';
import { signCounterpartyCommitment, verifyHolderCommitment } from './signatures.js';
import { htlcIn, reduceSpec } from './spec.js';
import type { ChannelEvent } from './types.js';


export class Channel extends ChannelCore {
  /** The cooperative close: `shutdown`, then `closing_signed`. */
  readonly close: CooperativeClose;

  constructor(init: FundedChannelInit) {
    super(init);
    this.close = new CooperativeClose(this, init.holderShutdownScript, init.io);
  }

  // ----- Our commands -----

  /**
   * Offers an HTLC: checks it against our balance, the reserve the counterparty asked, its HTLC minimum
   * and count, sends `update_add_htlc`, then signs. Resolves with the HTLC id.
   * @see BOLT 2 "Adding an HTLC: `update_add_htlc`"
   */
  async sendHtlc(amountMsat: bigint, paymentHash: Uint8Array, cltvExpiry: number, onionRoutingPacket: OnionPacket): Promise<bigint> {
    if (this.phase !== 'Ready') throw new ChannelNotUsableError(this.channelId, this.phase, 'sendHtlc');
    const add: UpdateAddHtlc = { type: 'update_add_htlc', channelId: this.channelId, id: this.nextHolderHtlcId, amountMsat, paymentHash, cltvExpiry, onionRoutingPacket };
    checkCanAdd(this, this.projected([add], []), 'holder', add);
    this.nextHolderHtlcId += 1n;
    this.holderUpdates = { ...this.holderUpdates, proposed: [...this.holderUpdates.proposed, add] };
    this.io.send(add);
    await this.maybeSign();
    return add.id;
  }

  /**
   * Claims an HTLC offered to us: the preimage goes to our monitor (persisted) before `update_fulfill_htlc`
   * reveals it, so that we can always claim it on chain.
   * @see BOLT 2 "Removing an HTLC: `update_fulfill_htlc`, `update_fail_htlc`, and `update_fail_malformed_htlc`"
   */
  async claimHtlc(id: bigint, paymentPreimage: Uint8Array): Promise<void> {
    const htlc = this.settleable('counterparty', id, 'claimHtlc');
    if (!equalBytes(sha256(paymentPreimage), htlc.paymentHash)) {
      throw new ProtocolViolationError(this.channelId, `a preimage hashing to HTLC #${id}'s payment hash`, 'another preimage (our own bug)');
    }
    await this.persist('claim HTLC', [{ kind: 'PaymentPreimage', paymentPreimage }]);
    const fulfill: UpdateFulfillHtlc = { type: 'update_fulfill_htlc', channelId: this.channelId, id, paymentPreimage };
    this.holderUpdates = { ...this.holderUpdates, proposed: [...this.holderUpdates.proposed, fulfill] };
    this.io.send(fulfill);
    await this.maybeSign();
  }

  /** Fails an HTLC offered to us, with a reason for the payer. */
  async failHtlc(id: bigint, reason: UpdateFailHtlc['reason']): Promise<void> {
    this.settleable('counterparty', id, 'failHtlc');
    const fail: UpdateFailHtlc = { type: 'update_fail_htlc', channelId: this.channelId, id, reason };
    this.holderUpdates = { ...this.holderUpdates, proposed: [...this.holderUpdates.proposed, fail] };
    this.io.send(fail);
    await this.maybeSign();
  }

  // ----- Their updates -----

  /** @see BOLT 2 "Adding an HTLC: `update_add_htlc`" */
  handleUpdateAddHtlc(msg: UpdateAddHtlc): void {
    this.assertPhase(msg.type, this.phase === 'Ready' && !this.close.shutdownReceived);
    if (msg.id !== this.nextCounterpartyHtlcId) {
      throw new ProtocolViolationError(this.channelId, `HTLC id ${this.nextCounterpartyHtlcId} (ids count up from 0)`, `${msg.id}`);
    }
    checkCanAdd(this, this.projected([], [msg]), 'counterparty', msg);
    this.nextCounterpartyHtlcId += 1n;
    this.counterpartyUpdates = { ...this.counterpartyUpdates, proposed: [...this.counterpartyUpdates.proposed, msg] };
  }

  /** Stores the preimage in our monitor first: from then on we can prove (and, forwarding, claim) the payment. */
  async handleUpdateFulfillHtlc(msg: UpdateFulfillHtlc): Promise<ChannelEvent[]> {
    this.assertPhase(msg.type, OPERATIONAL_PHASES.has(this.phase));
    const htlc = this.settleable('holder', msg.id, msg.type);
    if (!equalBytes(sha256(msg.paymentPreimage), htlc.paymentHash)) {
      throw new ProtocolViolationError(this.channelId, `a preimage of HTLC #${msg.id}'s payment hash`, 'a preimage that hashes to something else');
    }
    await this.persist('store preimage from update_fulfill_htlc', [{ kind: 'PaymentPreimage', paymentPreimage: msg.paymentPreimage }]);
    this.counterpartyUpdates = { ...this.counterpartyUpdates, proposed: [...this.counterpartyUpdates.proposed, msg] };
    return [{ kind: 'OutgoingHtlcFulfilled', htlcId: msg.id, paymentHash: htlc.paymentHash, paymentPreimage: msg.paymentPreimage, amountMsat: htlc.amountMsat }];
  }

  handleUpdateFailHtlc(msg: UpdateFailHtlc): void {
    this.assertPhase(msg.type, OPERATIONAL_PHASES.has(this.phase));
    this.settleable('holder', msg.id, msg.type);
    this.counterpartyUpdates = { ...this.counterpartyUpdates, proposed: [...this.counterpartyUpdates.proposed, msg] };
  }

  // ----- The commitment dance -----

  /**
   * Their signature on our next commitment: check it (and the HTLC signatures), persist the new commitment
   * in our monitor, and only then revoke the previous one with `revoke_and_ack`.
   * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
   */
  async handleCommitmentSigned(msg: CommitmentSigned): Promise<ChannelEvent[]> {
    this.assertPhase(msg.type, OPERATIONAL_PHASES.has(this.phase));
    const { acked } = this.holderUpdates;
    const { proposed } = this.counterpartyUpdates;
    if (acked.length === 0 && proposed.length === 0) {
      throw new ProtocolViolationError(this.channelId, 'commitment_signed only when it covers some update', 'one with no update to commit');
    }
    const number = this.holderCommit.number + 1n;
    const spec = reduceSpec(this.holderCommit.spec, acked, proposed);
    const verified = verifyHolderCommitment(this.channelId, this.params, this.keys, spec, number, this.feeratePerKw, msg.signature, msg.htlcSignatures);
    await this.persist('new holder commitment', [
      { kind: 'LatestHolderCommitmentTx', commitmentTx: verified.signedTx, commitmentNumber: number, htlcs: verified.commitment.params.htlcs },
    ]);
    this.holderCommit = { number, spec, signedTx: verified.signedTx };
    this.holderUpdates = { ...this.holderUpdates, acked: [] };
    this.counterpartyUpdates = { ...this.counterpartyUpdates, proposed: [], acked: [...this.counterpartyUpdates.acked, ...proposed] };
    this.io.send({
      type: 'revoke_and_ack',
      channelId: this.channelId,
      perCommitmentSecret: this.keys.perCommitmentSecret(number - 1n),
      nextPerCommitmentPoint: this.keys.perCommitmentPoint(number + 1n),
    });
    await this.maybeSign();
    return [];
  }

  /**
   * They revoked their previous commitment: check the secret against its point, persist it (our monitor can
   * now punish that commitment), then move on. Their updates our signature covered are now irrevocable.
   * @see BOLT 2 "Completing the Transition to the Updated State: `revoke_and_ack`"
   */
  async handleRevokeAndAck(msg: RevokeAndAck): Promise<ChannelEvent[]> {
    const next = this.nextCounterpartyCommit;
    if (!next || !OPERATIONAL_PHASES.has(this.phase)) {
      throw new UnexpectedMessageError(this.channelId, msg.type, this.phase, 'revoke_and_ack only after our commitment_signed');
    }
    const revoked = this.counterpartyCommit;
    if (!equalBytes(perCommitmentPoint(msg.perCommitmentSecret), revoked.perCommitmentPoint)) {
      throw new ProtocolViolationError(this.channelId, `the secret of their commitment #${revoked.number}'s point`, 'a secret for another point');
    }
    await this.persist('counterparty revocation', [
      { kind: 'CommitmentSecret', index: secretIndexForCommitment(revoked.number), secret: msg.perCommitmentSecret },
    ]);
    this.counterpartyCommit = next;
    this.nextCounterpartyCommit = undefined;
    this.counterpartyNextPoint = msg.nextPerCommitmentPoint;
    const { signed } = this.holderUpdates;
    this.holderUpdates = { ...this.holderUpdates, signed: [], acked: [...this.holderUpdates.acked, ...signed] };
    const lockedIn = this.counterpartyUpdates.signed;
    this.counterpartyUpdates = { ...this.counterpartyUpdates, signed: [] };
    const events: ChannelEvent[] = [];
    for (const update of lockedIn) {
      if (update.type === 'update_add_htlc') events.push({ kind: 'IncomingHtlcLockedIn', add: update });
      if (update.type === 'update_fail_htlc') {
        const htlc = htlcIn(revoked.spec, 'holder', update.id)!;
        events.push({ kind: 'OutgoingHtlcFailed', htlcId: update.id, paymentHash: htlc.paymentHash, reason: update.reason });
      }
    }
    await this.maybeSign();
    return [...events, ...this.close.maybeProposeFee()];
  }

  /**
   * Signs the counterparty's next commitment when there is something to commit and no signature of ours is
   * awaiting revocation; the monitor learns the commitment before the signature leaves.
   * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
   */
  protected async maybeSign(): Promise<void> {
    const { proposed } = this.holderUpdates;
    const { acked } = this.counterpartyUpdates;
    if (this.nextCounterpartyCommit || (proposed.length === 0 && acked.length === 0) || !this.counterpartyNextPoint) return;
    const number = this.counterpartyCommit.number + 1n;
    const point = this.counterpartyNextPoint;
    const spec = reduceSpec(this.counterpartyCommit.spec, proposed, acked);
    const signed = signCounterpartyCommitment(this.params, this.keys, spec, number, this.feeratePerKw, point);
    const txid = signed.commitment.tx.getId();
    await this.persist('new counterparty commitment', [
      { kind: 'LatestCounterpartyCommitmentTx', txid, commitmentNumber: number, perCommitmentPoint: point, htlcs: signed.commitment.params.htlcs },
    ]);
    this.nextCounterpartyCommit = { number, spec, txid, perCommitmentPoint: point };
    this.holderUpdates = { ...this.holderUpdates, proposed: [], signed: proposed };
    this.counterpartyUpdates = { ...this.counterpartyUpdates, acked: [], signed: acked };
    this.io.send({ type: 'commitment_signed', channelId: this.channelId, signature: signed.signature, htlcSignatures: signed.htlcSignatures });
  }
}
