import { afterEach, describe, expect, it } from 'vitest';
import {
  BitcoindClient,
  FEERATE_FLOOR_SATS_PER_KW,
  NodeUnreachableError,
  WrongChainError,
  findFreePort,
} from '../../src/internal.js';
import { startFakeRpc, type FakeRpc } from '../helpers/fake-rpc.js';

const credentials = { username: 'lnlab', password: 'lnlab' };
let fake: FakeRpc | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('BitcoindClient refuses what it must', () => {
  it('refuses a node on mainnet, before any other call', async () => {
    fake = await startFakeRpc({
      getblockchaininfo: { chain: 'main', blocks: 900_000, bestblockhash: '00'.repeat(32) },
      getblockhash: '00'.repeat(32),
    });
    const client = new BitcoindClient({ url: fake.url, ...credentials });
    const error = await client.getBlockHash(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongChainError);
    expect((error as Error).message).toMatch(/chain "main", expected "regtest"/);
    expect((error as Error).message).toMatch(/LNLAB_RPC_URL/);
    await expect(BitcoindClient.connect({ url: fake.url, ...credentials })).rejects.toBeInstanceOf(WrongChainError);
  });

  it('refuses testnet and signet too', async () => {
    for (const chain of ['test', 'testnet4', 'signet']) {
      const server = await startFakeRpc({ getblockchaininfo: { chain, blocks: 1, bestblockhash: '00'.repeat(32) } });
      const client = new BitcoindClient({ url: server.url, ...credentials });
      await expect(client.getBestBlock()).rejects.toBeInstanceOf(WrongChainError);
      await server.close();
    }
  });

  it('says how to start a node when nothing answers', async () => {
    const port = await findFreePort();
    const client = new BitcoindClient({ url: `http://127.0.0.1:${port}`, ...credentials });
    const error = await client.getBestBlock().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect((error as Error).message).toContain('lnlab regtest start');
    expect((error as Error).message).toContain('docker compose up');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('converts the node estimate to sat/kW and never goes below the 253 floor', async () => {
    // 0.00002 BTC/kvB = 2000 sat/kvB = 500 sat/kW.
    fake = await startFakeRpc({
      getblockchaininfo: { chain: 'regtest', blocks: 1, bestblockhash: '00'.repeat(32) },
      estimatesmartfee: { feerate: 0.00002, blocks: 2 },
    });
    expect(await new BitcoindClient({ url: fake.url, ...credentials }).getEstSatPer1000Weight('NonAnchorChannelFee')).toBe(500);
    await fake.close();
    fake = await startFakeRpc({
      getblockchaininfo: { chain: 'regtest', blocks: 1, bestblockhash: '00'.repeat(32) },
      estimatesmartfee: { feerate: 0.000001, blocks: 2 },
    });
    expect(await new BitcoindClient({ url: fake.url, ...credentials }).getEstSatPer1000Weight('NonAnchorChannelFee')).toBe(
      FEERATE_FLOOR_SATS_PER_KW,
    );
  });
});
