/**
 * The capstone, end to end through ChannelManagers: Alice and Bob open a channel and pay each other; the
 * revocation secrets travel in revoke_and_ack and reach Alice's ChainMonitor. Bob then broadcasts a
 * commitment he has revoked. In the very next block Alice's ChainMonitor sees it, her monitor broadcasts a
 * justice transaction, and once it confirms Alice's wallet holds the whole channel (less fees).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BroadcastRejectedError, InProcessNetwork, outpointKey } from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, mineAndSync, openReadyChannel } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-justice-mgr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;

describe('a cheating counterparty, caught by the ChannelManager’s own monitor', () => {
  it('Bob broadcasts a revoked commitment; Alice sweeps the whole channel in the next block', async () => {
    const network = new InProcessNetwork();
    const alice = await makeNode(chain, 'alice', 0xa1, dir);
    const bob = await makeNode(chain, 'bob', 0xb0, dir);
    network.connect(alice.manager, bob.manager);
    await fundNodes(chain, [alice], 2_000_000n);
    const channelId = await openReadyChannel(chain, network, [alice, bob], alice, bob, CHANNEL_VALUE_SAT);

    // Alice pays Bob 300,000 sat. Bob keeps a copy of his commitment from then: it gives him 300,000 sat.
    expect((await alice.manager.sendPayment(bob.manager.createInvoice(300_000_000n))).kind).toBe('Succeeded');
    await network.settle();
    const bobChannel = bob.manager.channel(channelId)!;
    const revoked = bobChannel.holderCommitment.signedTx;
    const revokedNumber = bobChannel.holderCommitment.number;

    // Bob pays 250,000 sat back: that commitment is now revoked, its secret in Alice's monitor.
    expect((await bob.manager.sendPayment(alice.manager.createInvoice(250_000_000n))).kind).toBe('Succeeded');
    await network.settle();
    expect(bobChannel.holderCommitment.number).toBeGreaterThan(revokedNumber);
    const monitor = alice.chainMonitor.monitors.get(outpointKey(bobChannel.fundingOutpoint))!;
    expect(monitor.commitmentSecrets.getSecret(2n ** 48n - 1n - revokedNumber)).toBeDefined();

    // Bob cheats.
    await chain.client.broadcastTransactions(revoked);
    const aliceBefore = alice.wallet.confirmedBalanceSat();
    await mineAndSync(chain, network, [alice, bob]);
    expect(await chain.client.getConfirmations(revoked.getId())).toBe(1);
    expect(monitor.closure).toMatchObject({ kind: 'RevokedCommitment', commitmentNumber: revokedNumber });
    expect(monitor.claims.size).toBe(1);
    expect(monitor.rejectedBroadcasts).toEqual([]);
    const justiceTxid = [...monitor.claims.values()][0]!;
    expect(await chain.client.getConfirmations(justiceTxid)).toBe(0); // broadcast in the block that showed the cheat

    await mineAndSync(chain, network, [alice, bob]);
    expect(await chain.client.getConfirmations(justiceTxid)).toBe(1);
    const justice = (await chain.client.getTransaction(justiceTxid))!;
    const justiceFeeSat = revoked.outs[justice.ins[0]!.index]!.value - justice.outs[0]!.value;
    expect(justiceFeeSat).toBeGreaterThan(0n);
    expect(justiceFeeSat).toBeLessThan(2_000n);
    // Every output of Bob's revoked commitment is Alice's now: her to_remote at once, his to_local by justice.
    const revokedOutputsSat = revoked.outs.reduce((sum, out) => sum + out.value, 0n);
    expect(alice.wallet.confirmedBalanceSat() - aliceBefore).toBe(revokedOutputsSat - justiceFeeSat);
    expect(revokedOutputsSat).toBeGreaterThan(CHANNEL_VALUE_SAT - 3_000n); // the whole channel, less the commitment fee
    expect(bob.wallet.confirmedBalanceSat()).toBe(0n);
    expect(bob.manager.channel(channelId)!.phase).toBe('Closed');

    // And the funding output is spent for good: Bob cannot even publish his current commitment now.
    const late = await chain.client.broadcastTransactions(bobChannel.forceClose('too late')).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(BroadcastRejectedError);
  });
});
