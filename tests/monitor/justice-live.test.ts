/**
 * The whole point, on a real chain: Alice and Bob fund a channel, make payments whose secrets reach
 * Alice's monitor through her ChainMonitor, then Bob broadcasts a revoked commitment. The next block,
 * handed to Alice's ChainMonitor, makes her monitor broadcast a justice transaction; the node accepts it,
 * it is mined, and it pays Alice. Bob's own delayed spend is refused by the chain until to_self_delay.
 */
import { WholeMonitorPersist } from '../../src/internal.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BroadcastRejectedError,
  ChannelMonitorUpdateStatus,
  FAUCET_OUTPUT_SCRIPT,
  FileStore,
  KVStoreMonitorPersister,
  buildDelayedOutputSweep,
  findHolderToLocal,
  type ChannelPair,
} from '../../src/internal.js';
import { ChainMonitor, ChannelMonitor } from '../helpers/reference.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { ALICE_DESTINATION, CHANNEL_VALUE_SAT, FUNDING_OUTPUT, TO_SELF_DELAY, makePair } from '../helpers/channel.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-justice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects the chain's newest block to the ChainMonitor, as a block watcher would. */
async function connectTip(chainMonitor: ChainMonitor): Promise<void> {
  const { hash, height } = await chain.client.getBestBlock();
  const block = await chain.client.getBlock(hash);
  await chainMonitor.transactionsConfirmed(block, block.transactions ?? [], height);
}

/** Bob's attempt to take his to_local of a revoked commitment through the delayed path. */
function bobsDelayedSpend(pair: ChannelPair, commitmentNumber: bigint) {
  const bob = pair.monitorInit('bob', FAUCET_OUTPUT_SCRIPT, { hash: '', height: 0 });
  const toLocal = findHolderToLocal(pair.params.bob, bob.secrets, pair.signedCommitment('bob', commitmentNumber), pair.keys.bob.perCommitmentPoint(commitmentNumber));
  return buildDelayedOutputSweep(toLocal!, { destinationScript: FAUCET_OUTPUT_SCRIPT, feeratePerKw: 2_500 }).tx;
}

describe('catching a cheater on the regtest chain', () => {
  it('punishes a revoked commitment with a justice transaction that confirms and pays Alice', async () => {
    const funding = await chain.faucet.fund(FUNDING_OUTPUT.scriptPubKey, CHANNEL_VALUE_SAT);
    await chain.faucet.mine(1);
    const pair = makePair({ txid: funding.txid, vout: funding.vout });

    const persister = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'alice')));
    const aliceChainMonitor = new ChainMonitor(new WholeMonitorPersist(persister), chain.client, chain.client);
    const monitor = new ChannelMonitor(pair.monitorInit('alice', ALICE_DESTINATION, await chain.client.getBestBlock()));
    expect(await aliceChainMonitor.watchChannel(monitor.fundingOutpoint, monitor)).toBe(ChannelMonitorUpdateStatus.Completed);

    // Several state updates; each old commitment's secret reaches Alice's monitor through updateChannel.
    for (let i = 0; i < 3; i++) {
      for (const update of pair.pay(i % 2 === 0 ? 'alice' : 'bob', 20_000_000n).alice) {
        expect(await aliceChainMonitor.updateChannel(monitor.fundingOutpoint, update)).toBe(ChannelMonitorUpdateStatus.Completed);
      }
    }

    // Bob cheats: commitment #1 (revoked) gave him more than the current one.
    const revoked = pair.signedCommitment('bob', 1n);
    await chain.client.broadcastTransactions(revoked);
    await chain.faucet.mine(1);
    expect(await chain.client.getConfirmations(revoked.getId())).toBe(1);

    // The chain itself refuses Bob's delayed spend before to_self_delay.
    const early = await chain.client.broadcastTransactions(bobsDelayedSpend(pair, 1n)).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(BroadcastRejectedError);
    expect((early as BroadcastRejectedError).reason).toMatch(/non-BIP68-final/);

    // Alice's ChainMonitor sees the block and her monitor strikes.
    await connectTip(aliceChainMonitor);
    expect(monitor.closure).toMatchObject({ kind: 'RevokedCommitment', commitmentNumber: 1n });
    const justiceTxid = [...monitor.claims.values()][0]!;
    expect(justiceTxid).toBeDefined();
    expect(monitor.rejectedBroadcasts).toEqual([]);
    expect(await chain.client.getConfirmations(justiceTxid)).toBe(0);

    const [blockHash] = await chain.faucet.mine(1);
    expect(await chain.client.getConfirmations(justiceTxid)).toBe(1);
    const block = await chain.client.getBlock(blockHash!);
    const justice = block.transactions!.find((tx) => tx.getId() === justiceTxid)!;
    expect(Buffer.from(justice.outs[0]!.script)).toEqual(Buffer.from(ALICE_DESTINATION));
    // Bob's whole to_local at #1 (his balance then), less the justice fee, is now Alice's.
    const bobsToLocal = revoked.outs[justice.ins[0]!.index]!.value;
    expect(bobsToLocal).toBe(pair.commitment('bob', 1n).outputs.find((o) => o.kind === 'to_local')!.amountSat);
    expect(justice.outs[0]!.value).toBeGreaterThan(bobsToLocal - 2_000n);

    // And Bob's delayed path is gone for good: the output is spent.
    await chain.faucet.mine(TO_SELF_DELAY);
    const late = await chain.client.broadcastTransactions(bobsDelayedSpend(pair, 1n)).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(BroadcastRejectedError);
  });

  it('resumes watching after a restart and still catches the cheater', async () => {
    const funding = await chain.faucet.fund(FUNDING_OUTPUT.scriptPubKey, CHANNEL_VALUE_SAT);
    await chain.faucet.mine(1);
    const pair = makePair({ txid: funding.txid, vout: funding.vout });
    const persister = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'restart')));
    const before = new ChainMonitor(new WholeMonitorPersist(persister), chain.client, chain.client);
    const monitor = new ChannelMonitor(pair.monitorInit('alice', ALICE_DESTINATION, await chain.client.getBestBlock()));
    await before.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 30_000_000n).alice) await before.updateChannel(monitor.fundingOutpoint, update);

    // Alice's node is down while Bob cheats and two more blocks are mined.
    await chain.client.broadcastTransactions(pair.signedCommitment('bob', 0n));
    await chain.faucet.mine(2);

    const after = await ChainMonitor.load(new WholeMonitorPersist(persister), chain.client, chain.client);
    expect(await after.syncToTip(chain.client)).toBeGreaterThanOrEqual(2);
    const restored = [...after.monitors.values()][0]!;
    expect(restored.closure?.kind).toBe('RevokedCommitment');
    const justiceTxid = [...restored.claims.values()][0]!;
    await chain.faucet.mine(1);
    expect(await chain.client.getConfirmations(justiceTxid)).toBe(1);
  });
});
