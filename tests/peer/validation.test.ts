/** Message validation on receipt: what a BOLT decoder refuses, with the message type and field named. */
import { describe, expect, it } from 'vitest';
import { KeysManager, MalformedMessageError, REGTEST_CHAIN_HASH, isStandardShutdownScript, validatePeerMessage, type PeerMessage } from '../../src/internal.js';

const keys = new KeysManager(new Uint8Array(32).fill(7)).channelKeys(0);
const id = 'ab'.repeat(32);
const sig = new Uint8Array(64).fill(1);

const good: Record<string, PeerMessage> = {
  open_channel: {
    type: 'open_channel',
    chainHash: REGTEST_CHAIN_HASH,
    temporaryChannelId: id,
    fundingSatoshis: 1_000_000n,
    pushMsat: 0n,
    dustLimitSatoshis: 546n,
    maxHtlcValueInFlightMsat: 1_000_000_000n,
    channelReserveSatoshis: 10_000n,
    htlcMinimumMsat: 1_000n,
    feeratePerKw: 2_500,
    toSelfDelay: 6,
    maxAcceptedHtlcs: 30,
    ...keys.pubkeys,
    firstPerCommitmentPoint: keys.perCommitmentPoint(0n),
    channelFlags: 1,
  },
  update_add_htlc: {
    type: 'update_add_htlc',
    channelId: id,
    id: 0n,
    amountMsat: 5_000n,
    paymentHash: new Uint8Array(32),
    cltvExpiry: 500,
    onionRoutingPacket: { hops: [{ amtToForwardMsat: 5_000n, outgoingCltvValue: 500 }] },
  },
  commitment_signed: { type: 'commitment_signed', channelId: id, signature: sig, htlcSignatures: [sig, sig] },
  revoke_and_ack: { type: 'revoke_and_ack', channelId: id, perCommitmentSecret: new Uint8Array(32), nextPerCommitmentPoint: keys.perCommitmentPoint(2n) },
  update_fail_htlc: { type: 'update_fail_htlc', channelId: id, id: 3n, reason: { code: 'fee_insufficient', detail: 'too cheap' } },
  shutdown: { type: 'shutdown', channelId: id, scriptpubkey: Uint8Array.of(0x00, 0x14, ...new Uint8Array(20)) },
  error: { type: 'error', channelId: '00'.repeat(32), data: 'bye' },
};

/** Expects `validatePeerMessage(message)` to throw a MalformedMessageError naming `field`. */
function expectMalformed(message: unknown, messageType: string, field: string) {
  try {
    validatePeerMessage(message);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedMessageError);
    const e = err as MalformedMessageError;
    expect(e.code).toBe('MALFORMED_MESSAGE');
    expect([e.messageType, e.field]).toEqual([messageType, field]);
    expect(e.message).toMatch(new RegExp(`^${messageType}\\.${field.replace(/\./g, '\\.')}: expected .+, got .+`));
    return;
  }
  throw new Error(`expected ${messageType}.${field} to be refused`);
}

describe('validatePeerMessage', () => {
  it('accepts well-formed messages and returns them unchanged', () => {
    for (const message of Object.values(good)) expect(validatePeerMessage(message)).toBe(message);
  });

  it('refuses a non-object or an unknown type', () => {
    expectMalformed(null, 'message', 'type');
    expectMalformed('open_channel', 'message', 'type');
    expectMalformed({ type: 'open_chanel' }, 'message', 'type');
  });

  it('refuses wrong lengths, types and ranges, naming the field', () => {
    expectMalformed({ ...good.commitment_signed, signature: new Uint8Array(71) }, 'commitment_signed', 'signature');
    expectMalformed({ ...good.commitment_signed, htlcSignatures: [sig, new Uint8Array(3)] }, 'commitment_signed', 'htlcSignatures.1');
    const offCurve = new Uint8Array(33);
    offCurve.set([0x02], 0);
    offCurve[32] = 5; // x = 5: x³ + 7 has no square root mod p
    expectMalformed({ ...good.open_channel, fundingPubkey: offCurve }, 'open_channel', 'fundingPubkey');
    expectMalformed({ ...good.open_channel, fundingSatoshis: 1_000_000 }, 'open_channel', 'fundingSatoshis'); // number, not bigint
    expectMalformed({ ...good.open_channel, pushMsat: -1n }, 'open_channel', 'pushMsat');
    expectMalformed({ ...good.open_channel, toSelfDelay: 70_000 }, 'open_channel', 'toSelfDelay');
    expectMalformed({ ...good.open_channel, temporaryChannelId: 'AB'.repeat(32) }, 'open_channel', 'temporaryChannelId');
    expectMalformed({ ...good.open_channel, chainHash: undefined }, 'open_channel', 'chainHash');
    expectMalformed({ ...good.update_add_htlc, amountMsat: 0n }, 'update_add_htlc', 'amountMsat');
    expectMalformed({ ...good.update_add_htlc, paymentHash: new Uint8Array(31) }, 'update_add_htlc', 'paymentHash');
    expectMalformed({ ...good.update_add_htlc, onionRoutingPacket: { hops: [] } }, 'update_add_htlc', 'onionRoutingPacket.hops');
    expectMalformed(
      { ...good.update_add_htlc, onionRoutingPacket: { hops: [{ amtToForwardMsat: 1n, outgoingCltvValue: -1 }] } },
      'update_add_htlc',
      'onionRoutingPacket.hops.0.outgoingCltvValue',
    );
    expectMalformed({ ...good.revoke_and_ack, perCommitmentSecret: new Uint8Array(33) }, 'revoke_and_ack', 'perCommitmentSecret');
    expectMalformed({ ...good.update_fail_htlc, reason: { code: 'because', detail: '' } }, 'update_fail_htlc', 'reason.code');
  });

  it('refuses a shutdown script BOLT 2 does not allow', () => {
    expectMalformed({ ...good.shutdown, scriptpubkey: Uint8Array.of(0x6a, 0x01, 0x00) }, 'shutdown', 'scriptpubkey'); // OP_RETURN
    expect(isStandardShutdownScript(Uint8Array.of(0x00, 0x20, ...new Uint8Array(32)))).toBe(true); // P2WSH
    expect(isStandardShutdownScript(Uint8Array.of(0x51, 0x20, ...new Uint8Array(32)))).toBe(true); // P2TR
    expect(isStandardShutdownScript(Uint8Array.of(0x00, 0x15, ...new Uint8Array(21)))).toBe(false);
  });
});
