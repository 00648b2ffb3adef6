import { describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { BroadcastRejectedError, FAUCET_OUTPUT_SCRIPT, RpcError } from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { newTestKey, signP2wpkhInput, spendTx } from '../helpers/p2wpkh.js';

const chain = useRegtestChain();

describe('BitcoindClient against the embedded regtest node', () => {
  it('reports regtest and mines blocks', async () => {
    const before = await chain.client.getBestBlock();
    const hashes = await chain.faucet.mine(3);
    const after = await chain.client.getBestBlock();
    expect(hashes).toHaveLength(3);
    expect(after.height).toBe(before.height + 3);
    expect(after.hash).toBe(hashes[2]);
    expect(await chain.client.getBlockHash(after.height)).toBe(after.hash);
    const header = await chain.client.getHeader(after.hash);
    expect(header.getId()).toBe(after.hash);
    expect(header.transactions).toBeUndefined();
    const block = await chain.client.getBlock(after.hash);
    expect(block.transactions?.[0]?.isCoinbase()).toBe(true);
  });

  it('broadcasts a valid segwit transaction: mempool, then confirmed after one block', async () => {
    const key = newTestKey();
    const funded = await chain.faucet.fund(key.outputScript, 50_000n);
    await chain.faucet.mine(1);
    const tx = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 49_000n);
    await signP2wpkhInput(tx, 0, key, funded.amountSat);

    expect(await chain.client.broadcastTransactions(tx)).toEqual([tx.getId()]);
    expect(await chain.client.getConfirmations(tx.getId())).toBe(0);
    const [blockHash] = await chain.faucet.mine(1);
    expect(await chain.client.getConfirmations(tx.getId())).toBe(1);
    const block = await chain.client.getBlock(blockHash!);
    expect(block.transactions!.map((t) => t.getId())).toContain(tx.getId());
  });

  it('rejects a transaction with a bad signature with a typed error carrying the reason', async () => {
    const key = newTestKey();
    const wrongKey = newTestKey();
    const funded = await chain.faucet.fund(key.outputScript, 50_000n);
    await chain.faucet.mine(1);
    const tx = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 49_000n);
    // Signed by another key but claiming to be `key`: the signature does not verify.
    await signP2wpkhInput(tx, 0, wrongKey, funded.amountSat);
    tx.setWitness(0, [tx.ins[0]!.witness[0]!, key.publicKey]);

    const error = await chain.client.broadcastTransactions(tx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BroadcastRejectedError);
    expect((error as BroadcastRejectedError).reason).toMatch(/script-verify-flag/);
    expect((error as BroadcastRejectedError).txid).toBe(tx.getId());
    expect((error as BroadcastRejectedError).rpcCode).toBe(-26);
    // Never reported as broadcast: the node does not have it.
    expect(await chain.client.getConfirmations(tx.getId())).toBeNull();
  });

  it('answers garbage with an error, not a txid', async () => {
    const error = await chain.client.call('sendrawtransaction', 'deadbeef').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).rpcCode).toBe(-22);
  });

  it('refuses a transaction whose input does not exist (-25), and does not keep it', async () => {
    const tx = spendTx('11'.repeat(32), 0, FAUCET_OUTPUT_SCRIPT, 1_000n);
    tx.setWitness(0, [Uint8Array.of(0x51)]);
    const error = await chain.client.broadcastTransactions(tx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BroadcastRejectedError);
    expect((error as BroadcastRejectedError).rpcCode).toBe(-25);
    expect(await chain.client.getConfirmations(tx.getId())).toBeNull();
  });

  it('waits until a transaction is seen, and times out with a clear message', async () => {
    const funded = await chain.faucet.fund(FAUCET_OUTPUT_SCRIPT, 10_000n);
    const mining = chain.faucet.mine(1);
    await expect(chain.client.waitForTransaction(funded.txid, 1, { timeoutMs: 5_000 })).resolves.toBeGreaterThanOrEqual(1);
    await mining;
    await expect(chain.client.waitForTransaction('22'.repeat(32), 0, { timeoutMs: 200 })).rejects.toThrow(/not seen/);
  });

  it('estimates fees with the fallback when the node has none (young regtest chain)', async () => {
    expect(await chain.client.getEstSatPer1000Weight('UrgentOnChainSweep')).toBe(2_500);
  });

  it('parses blocks into bitcoinjs objects whose transactions round-trip', async () => {
    const funded = await chain.faucet.fund(FAUCET_OUTPUT_SCRIPT, 20_000n);
    const [hash] = await chain.faucet.mine(1);
    const block = await chain.client.getBlock(hash!);
    const found = block.transactions!.find((t) => t.getId() === funded.txid);
    expect(found).toBeInstanceOf(Transaction);
    expect(found!.toHex()).toBe(funded.tx.toHex());
  });
});
