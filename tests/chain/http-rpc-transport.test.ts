/**
 * The `node:http` JSON-RPC transport the createChannel checks use in a grading child: against a real
 * embedded node it answers what the `bitcoin-core` client answers, and every failure becomes the same
 * typed error (`RpcError`, `BroadcastRejectedError`, `NodeUnreachableError`).
 */
import { describe, expect, it } from 'vitest';
import { BroadcastRejectedError, FAUCET_OUTPUT_SCRIPT, NodeUnreachableError, RpcError, findFreePort } from '../../src/internal.js';
import { BitcoindClient, type RpcConfig } from '../../src/internal.js';
import { HttpRpcTransport } from '../../src/chain/http-rpc-transport.js';

const httpRpcClient = (config: RpcConfig) => new BitcoindClient(config, { transport: new HttpRpcTransport(config) });
import { newTestKey, signP2wpkhInput, spendTx } from '../helpers/p2wpkh.js';
import { useRegtestChain } from '../helpers/regtest.js';

const chain = useRegtestChain();

describe('httpRpcClient (BitcoindClient over node:http)', () => {
  it('answers as the bitcoin-core client does: tip, blocks, mining, a broadcast', async () => {
    const client = httpRpcClient(chain.node.config);
    expect(await client.getBestBlock()).toEqual(await chain.client.getBestBlock());
    const [hash] = await client.mineBlocks(1, FAUCET_OUTPUT_SCRIPT);
    expect((await chain.client.getBestBlock()).hash).toBe(hash);
    expect((await client.getBlock(hash!)).getId()).toBe(hash);
    expect(await client.getBackend()).toBe('bcoin');

    const key = newTestKey();
    const funded = await chain.faucet.fund(key.outputScript, 40_000n);
    await chain.faucet.mine(1);
    const tx = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 39_000n);
    await signP2wpkhInput(tx, 0, key, funded.amountSat);
    expect(await client.broadcastTransactions(tx)).toEqual([tx.getId()]);
    expect(await chain.client.getConfirmations(tx.getId())).toBe(0);
    expect(await client.getConfirmations('00'.repeat(32))).toBeNull();
  });

  it('a refused transaction is a BroadcastRejectedError with the node\'s reason and code', async () => {
    const client = httpRpcClient(chain.node.config);
    const key = newTestKey();
    const funded = await chain.faucet.fund(key.outputScript, 40_000n);
    await chain.faucet.mine(1);
    const first = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 39_000n);
    await signP2wpkhInput(first, 0, key, funded.amountSat);
    const second = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 38_000n);
    await signP2wpkhInput(second, 0, key, funded.amountSat);
    await client.broadcastTransactions(first);
    const refused = await client.broadcastTransactions(second).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BroadcastRejectedError);
    expect((refused as BroadcastRejectedError).reason).toBe('bad-txns-inputs-spent');
    expect((refused as BroadcastRejectedError).rpcCode).toBe(-26);
  });

  it('an RPC error keeps the node\'s numeric code and message', async () => {
    const error = await httpRpcClient(chain.node.config).call('nosuchmethod').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).rpcCode).toBe(-32601);
    expect((error as RpcError).message).toMatch(/nosuchmethod: node answered error -32601/);
  });

  it('wrong credentials and a closed port are NodeUnreachableError, saying which', async () => {
    const wrongPassword = httpRpcClient({ ...chain.node.config, password: 'not-the-password' });
    await expect(wrongPassword.getBestBlock()).rejects.toThrow(NodeUnreachableError);
    await expect(wrongPassword.getBestBlock()).rejects.toThrow(/refused our credentials/);
    const closed = httpRpcClient({ ...chain.node.config, url: `http://127.0.0.1:${await findFreePort()}` });
    await expect(closed.getBestBlock()).rejects.toThrow(/ECONNREFUSED/);
  });
});
