/**
 * Opening a channel for real: the wallet funds itself from the faucet, Alice's ChannelManager runs the
 * BOLT 2 exchange with Bob's, builds and signs the funding transaction from her coins, persists her
 * monitor, broadcasts, and after one block both sides are ready — with their monitors registered and on disk.
 */
import { WholeMonitorPersist } from '../../src/internal.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, fundingOutpointKey, outpointKey } from '../../src/internal.js';
import { ChainMonitor, ChannelMonitor } from '../helpers/reference.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, mineAndSync, type TestNode } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;
const WALLET_FUNDING_SAT = 3_000_000n;

describe('the wallet', () => {
  it('learns its coins from connected blocks and spends them in a transaction the node accepts', async () => {
    const carol = await makeNode(chain, 'wallet-carol', 0xc0, dir);
    expect(carol.wallet.confirmedBalanceSat()).toBe(0n);
    await fundNodes(chain, [carol], 500_000n);
    await chain.faucet.fund(carol.wallet.receiveScript(), 250_000n);
    await mineAndSync(chain, undefined, [carol]);
    expect(carol.wallet.confirmedBalanceSat()).toBe(750_000n);
    expect(carol.wallet.utxos()).toHaveLength(2);

    // Pay 600,000 sat out: needs both coins; change comes back to a fresh script of ours.
    const elsewhere = (await makeNode(chain, 'wallet-dave', 0xd0, dir)).wallet.receiveScript();
    const funded = await carol.wallet.fundTransaction([{ scriptPubKey: elsewhere, amountSat: 600_000n }]);
    expect(funded.tx.ins).toHaveLength(2);
    expect(carol.wallet.spendableBalanceSat()).toBe(0n); // both coins locked until the spend confirms
    await chain.client.broadcastTransactions(funded.tx);
    await mineAndSync(chain, undefined, [carol]);
    expect(carol.wallet.confirmedBalanceSat()).toBe(750_000n - 600_000n - funded.feeSat);
    expect(funded.changeSat).toBe(carol.wallet.confirmedBalanceSat());
    // The fee follows the estimator: 2,500 sat/kW on a young regtest chain, about 10 sat/vbyte.
    expect(Number(funded.feeSat) / (funded.tx.virtualSize())).toBeGreaterThanOrEqual(9.9);
  });
});

describe('createChannel', () => {
  let alice: TestNode;
  let bob: TestNode;
  const network = new InProcessNetwork();

  it('opens a channel whose funding confirms, with both monitors registered and persisted', async () => {
    alice = await makeNode(chain, 'alice', 0xa1, dir);
    bob = await makeNode(chain, 'bob', 0xb0, dir);
    network.connect(alice.manager, bob.manager);
    await fundNodes(chain, [alice, bob], WALLET_FUNDING_SAT);
    const aliceBefore = alice.wallet.confirmedBalanceSat();

    const status = await alice.manager.createChannel(bob.keysManager.nodeId, CHANNEL_VALUE_SAT);
    expect(status.kind).toBe('Success');
    if (status.kind !== 'Success') return;
    expect(status.channelMonitor).toBeInstanceOf(ChannelMonitor);
    const { fundingOutpoint, channelId } = status;
    // The funding transaction is in the mempool, paying the 2-of-2.
    expect(await chain.client.getConfirmations(fundingOutpoint.txid)).toBe(0);
    expect(network.log.map((m) => m.type)).toEqual(['open_channel', 'accept_channel', 'funding_created', 'funding_signed']);

    await network.settle();
    await mineAndSync(chain, network, [alice, bob]);
    expect(await chain.client.getConfirmations(fundingOutpoint.txid)).toBe(1);
    for (const node of [alice, bob]) {
      const channel = node.manager.channel(channelId)!;
      expect(channel.phase).toBe('Ready');
      expect(channel.shortChannelId).toBeDefined();
      // Registered with the ChainMonitor...
      expect(node.chainMonitor.monitors.get(outpointKey(fundingOutpoint))).toBeDefined();
      // ...and durably on disk: a fresh ChainMonitor loads it back.
      const reloaded = await ChainMonitor.load(new WholeMonitorPersist(node.store), chain.client, chain.client);
      expect([...reloaded.monitors.keys()]).toContain(outpointKey(fundingOutpoint));
      expect((await node.store.readAllMonitors()).map((m) => m.key)).toContain(fundingOutpointKey(fundingOutpoint.txid, fundingOutpoint.vout));
    }
    const aliceChannel = alice.manager.channel(channelId)!;
    expect(aliceChannel.holderCommitment.spec.holderBalanceMsat).toBe(CHANNEL_VALUE_SAT * 1000n);
    expect(bob.manager.channel(channelId)!.holderCommitment.spec.counterpartyBalanceMsat).toBe(CHANNEL_VALUE_SAT * 1000n);
    // Alice's wallet paid the channel and the funding fee; the change is back in it.
    const fundingTx = (await chain.client.getTransaction(fundingOutpoint.txid))!;
    const fundingFeeSat = aliceBefore - CHANNEL_VALUE_SAT - alice.wallet.confirmedBalanceSat();
    expect(fundingFeeSat).toBeGreaterThan(0n);
    expect(fundingFeeSat).toBeLessThan(5_000n);
    expect(fundingTx.outs[fundingOutpoint.vout]!.value).toBe(CHANNEL_VALUE_SAT);
    // Each monitor holds its side's signed commitment #0: a valid spend of the funding output.
    const monitor = alice.chainMonitor.monitors.get(outpointKey(fundingOutpoint))!;
    expect(monitor.currentCommitmentTx!.getId()).toBe(aliceChannel.holderCommitment.signedTx.getId());
  });
});
