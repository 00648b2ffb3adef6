/**
 * Payments over one channel, with the full BOLT 2 dance each time (update_add_htlc, commitment_signed and
 * revoke_and_ack both ways, update_fulfill_htlc, and the dance again). Every step's monitor updates reach
 * the ChainMonitor: after three payments each side's monitor holds every secret the other revealed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, outpointKey, secretIndexForCommitment, type Channel } from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, openReadyChannel, type TestNode } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-pay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;
const PAYMENT_MSAT = 50_000_000n; // 50,000 sat: well above dust, so each HTLC gets an output and HTLC signatures

describe('payments over one channel', () => {
  const network = new InProcessNetwork();
  let alice: TestNode;
  let bob: TestNode;
  let channelId: string;
  const ch = (node: TestNode): Channel => node.manager.channel(channelId)!;
  const monitorOf = (node: TestNode) => node.chainMonitor.monitors.get(outpointKey(ch(node).fundingOutpoint))!;

  beforeAll(async () => {
    alice = await makeNode(chain, 'alice', 0xa1, dir);
    bob = await makeNode(chain, 'bob', 0xb0, dir);
    network.connect(alice.manager, bob.manager);
    await fundNodes(chain, [alice], 2_000_000n);
    channelId = await openReadyChannel(chain, network, [alice, bob], alice, bob, CHANNEL_VALUE_SAT);
  });

  it('Alice pays Bob three times; both sides agree on the balances', async () => {
    const preimages: Uint8Array[] = [];
    for (let i = 0; i < 3; i++) {
      const invoice = bob.manager.createInvoice(PAYMENT_MSAT);
      const result = await alice.manager.sendPayment(invoice);
      await network.settle();
      expect(result.kind).toBe('Succeeded');
      if (result.kind !== 'Succeeded') return;
      expect(Buffer.from(sha256(result.paymentPreimage))).toEqual(Buffer.from(invoice.paymentHash));
      expect(result.feesPaidMsat).toBe(0n);
      expect(bob.manager.payments.invoices.get(invoice.paymentHash)!.status).toBe('Paid');
      preimages.push(result.paymentPreimage);
    }
    const paidMsat = 3n * PAYMENT_MSAT;
    for (const node of [alice, bob]) {
      const { holderCommitment, counterpartyCommitment } = ch(node);
      expect(holderCommitment.spec.htlcs).toEqual([]);
      expect(counterpartyCommitment.spec.htlcs).toEqual([]);
      // Each payment moves each commitment twice: once to add the HTLC, once to settle it.
      expect(holderCommitment.number).toBe(6n);
      expect(counterpartyCommitment.number).toBe(6n);
    }
    expect(ch(alice).holderCommitment.spec.holderBalanceMsat).toBe(CHANNEL_VALUE_SAT * 1000n - paidMsat);
    expect(ch(alice).holderCommitment.spec.counterpartyBalanceMsat).toBe(paidMsat);
    expect(ch(bob).holderCommitment.spec.holderBalanceMsat).toBe(paidMsat);
    expect(ch(bob).holderCommitment.spec.counterpartyBalanceMsat).toBe(CHANNEL_VALUE_SAT * 1000n - paidMsat);

    // Both monitors learned every preimage (the payee before revealing it, the payer on receipt).
    for (const node of [alice, bob]) {
      const stored = monitorOf(node).preimages.map((p) => Buffer.from(p).toString('hex'));
      expect(stored.sort()).toEqual(preimages.map((p) => Buffer.from(p).toString('hex')).sort());
    }
    // The monitors follow the newest commitments.
    expect(monitorOf(alice).currentCommitmentTx!.getId()).toBe(ch(alice).holderCommitment.signedTx.getId());
    expect(monitorOf(alice).holderCommitmentNumber).toBe(6n);
  });

  it("every revoked commitment's secret reached the counterparty's monitor", () => {
    for (const [holder, counterparty] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const secrets = monitorOf(holder).commitmentSecrets;
      const theirKeys = ch(counterparty).keys;
      for (let n = 0n; n < 6n; n++) {
        const got = secrets.getSecret(secretIndexForCommitment(n));
        expect(got, `${holder.name}'s monitor: ${counterparty.name}'s secret #${n}`).toBeDefined();
        expect(Buffer.from(got!)).toEqual(Buffer.from(theirKeys.perCommitmentSecret(n)));
      }
      // The current commitment (#6) is not revoked: its secret is still private.
      expect(secrets.getSecret(secretIndexForCommitment(6n))).toBeUndefined();
    }
  });

  it('Bob pays back, and a payment larger than Bob can afford is refused before anything is sent', async () => {
    const back = await bob.manager.sendPayment(alice.manager.createInvoice(20_000_000n));
    await network.settle();
    expect(back.kind).toBe('Succeeded');
    expect(ch(alice).holderCommitment.spec.holderBalanceMsat).toBe(CHANNEL_VALUE_SAT * 1000n - 3n * PAYMENT_MSAT + 20_000_000n);

    const sentBefore = network.log.length;
    const tooMuch = await bob.manager.sendPayment(alice.manager.createInvoice(200_000_000n));
    expect(tooMuch.kind).toBe('Failed');
    if (tooMuch.kind === 'Failed') expect(tooMuch.error.code).toMatch(/CHANNEL_CAPACITY|NO_ROUTE/);
    expect(network.log.length).toBe(sentBefore);
  });
});
