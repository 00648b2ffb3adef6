/**
 * Closing for real. Cooperatively: shutdown both ways, one round of closing_signed, and each wallet ends
 * with exactly its channel balance, less the fee for the funder. By force: Alice broadcasts her latest
 * commitment, Bob's wallet has his balance at once, and Alice's monitor sweeps hers to her wallet after
 * to_self_delay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TO_SELF_DELAY, InProcessNetwork, outpointKey } from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, mineAndSync, openReadyChannel, type TestNode } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;
const PAID_MSAT = 123_456_789n; // not a whole number of sat: the closing outputs round down

describe('closing a channel', () => {
  const network = new InProcessNetwork();
  let alice: TestNode;
  let bob: TestNode;
  const nodes = () => [alice, bob];

  beforeAll(async () => {
    alice = await makeNode(chain, 'alice', 0xa1, dir);
    bob = await makeNode(chain, 'bob', 0xb0, dir);
    network.connect(alice.manager, bob.manager);
    await fundNodes(chain, [alice], 3_000_000n);
  });

  it('cooperative close: each wallet gets its channel balance, the funder less the closing fee', async () => {
    const channelId = await openReadyChannel(chain, network, nodes(), alice, bob, CHANNEL_VALUE_SAT);
    expect((await alice.manager.sendPayment(bob.manager.createInvoice(PAID_MSAT))).kind).toBe('Succeeded');
    await network.settle();
    const aliceChannelSat = alice.manager.channel(channelId)!.holderCommitment.spec.holderBalanceMsat / 1000n;
    const bobChannelSat = bob.manager.channel(channelId)!.holderCommitment.spec.holderBalanceMsat / 1000n;
    const [aliceBefore, bobBefore] = [alice.wallet.confirmedBalanceSat(), bob.wallet.confirmedBalanceSat()];

    expect(await bob.manager.closeChannel(channelId)).toEqual({ kind: 'Started' }); // either side may start
    await network.settle();
    const types = network.log.slice(-4).map((m) => m.type);
    expect(types).toEqual(['shutdown', 'shutdown', 'closing_signed', 'closing_signed']);
    const closingTx = alice.manager.channel(channelId)!.close.finalTx!;
    expect(bob.manager.channel(channelId)!.close.finalTx!.getId()).toBe(closingTx.getId());
    expect(await chain.client.getConfirmations(closingTx.getId())).toBe(0); // Alice, the funder, broadcast it

    await mineAndSync(chain, network, nodes());
    // The fee is what the outputs lack of both balances (each rounded down to whole satoshis first).
    const feeSat = aliceChannelSat + bobChannelSat - closingTx.outs.reduce((sum, out) => sum + out.value, 0n);
    expect(feeSat).toBeGreaterThan(0n);
    expect(alice.wallet.confirmedBalanceSat() - aliceBefore).toBe(aliceChannelSat - feeSat);
    expect(bob.wallet.confirmedBalanceSat() - bobBefore).toBe(bobChannelSat);
    for (const node of nodes()) {
      const channel = node.manager.channel(channelId)!;
      expect(channel.phase).toBe('Closed');
      expect(node.chainMonitor.monitors.get(outpointKey(channel.fundingOutpoint))!.closure?.kind).toBe('CooperativeClose');
    }
  });

  it('force close: Bob is paid at once; Alice’s monitor sweeps her to_local after to_self_delay', async () => {
    const channelId = await openReadyChannel(chain, network, nodes(), alice, bob, CHANNEL_VALUE_SAT);
    expect((await alice.manager.sendPayment(bob.manager.createInvoice(PAID_MSAT))).kind).toBe('Succeeded');
    await network.settle();
    const commitment = alice.manager.channel(channelId)!.holderCommitment.signedTx;
    const [aliceBefore, bobBefore] = [alice.wallet.confirmedBalanceSat(), bob.wallet.confirmedBalanceSat()];

    const status = await alice.manager.forceCloseChannel(channelId);
    expect(status).toEqual({ kind: 'Started', txid: commitment.getId() });
    await mineAndSync(chain, network, nodes());
    expect(await chain.client.getConfirmations(commitment.getId())).toBe(1);
    const monitor = alice.chainMonitor.monitors.get(outpointKey(alice.manager.channel(channelId)!.fundingOutpoint))!;
    expect(monitor.closure?.kind).toBe('HolderForceClose');
    expect(bob.manager.channel(channelId)!.phase).toBe('Closed');
    // Bob's to_remote pays his payment basepoint, which his wallet knows: no delay for him.
    expect(bob.wallet.confirmedBalanceSat() - bobBefore).toBe(PAID_MSAT / 1000n);
    expect(alice.wallet.confirmedBalanceSat()).toBe(aliceBefore);

    // Alice waits out the delay Bob asked for; her monitor broadcasts the sweep as soon as it may.
    await mineAndSync(chain, network, nodes(), DEFAULT_TO_SELF_DELAY - 1);
    expect(monitor.claims.size).toBe(1);
    const sweepTxid = [...monitor.claims.values()][0]!;
    await mineAndSync(chain, network, nodes());
    expect(await chain.client.getConfirmations(sweepTxid)).toBe(1);
    const toLocalSat = commitment.outs.find((out) => out.value > PAID_MSAT / 1000n)!.value;
    const sweep = (await chain.client.getTransaction(sweepTxid))!;
    expect(alice.wallet.confirmedBalanceSat() - aliceBefore).toBe(sweep.outs[0]!.value);
    expect(sweep.outs[0]!.value).toBeGreaterThan(toLocalSat - 2_000n);
  });
});
