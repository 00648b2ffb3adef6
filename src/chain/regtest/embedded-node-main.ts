/**
 * The embedded regtest node: bcoin 1.0.2, run in its own process by `lnlab regtest start` (or a test).
 *
 * bcoin is a full node written in JavaScript, so the workshop needs nothing but Node.js. Out of the box it
 * differs from Bitcoin Core's regtest in two ways the workshop cannot live with, and this file closes both:
 *
 * 1. Soft forks. bcoin's regtest activates CSV and segwit only after ~432 blocks of BIP9 signalling and
 *    CLTV at height 1351; Core (≥ 23) has every one of them active from height 1. Lightning's scripts need
 *    all three, so we make them active from the first block, as Core does.
 * 2. Broadcast. bcoin's `sendrawtransaction` answers with the txid even when its mempool rejects the
 *    transaction (the reason is only logged). Core answers error -26 with the reject reason. A broadcaster
 *    that trusted bcoin would call a broken justice transaction "broadcast", so we answer like Core.
 *
 * Arguments: --port N --password P [--datadir DIR | --memory] [--exit-with-parent]
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
// bcoin ships no type declarations; we touch a handful of its objects and keep them as `any`.
/* eslint-disable @typescript-eslint/no-explicit-any */
const bcoin: any = require('bcoin');
const Chain: any = require('bcoin/lib/blockchain/chain');
const Pool: any = require('bcoin/lib/net/pool');
const thresholdStates: any = require('bcoin/lib/blockchain/common').thresholdStates;
const { RPCError }: any = require('bweb');

/** Bitcoin Core's JSON-RPC error codes (src/rpc/protocol.h) that callers match on. */
const RPC_DESERIALIZATION_ERROR = -22;
const RPC_VERIFY_ERROR = -25;
const RPC_VERIFY_REJECTED = -26;
const RPC_VERIFY_ALREADY_IN_CHAIN = -27;
const RPC_INVALID_ADDRESS_OR_KEY = -5;

/** BIP9 deployments that Core's regtest has active from genesis and the workshop needs. */
const ALWAYS_ACTIVE_DEPLOYMENTS = new Set(['csv', 'segwit']);

function makeRegtestLikeCore(): void {
  const regtest = bcoin.Network.get('regtest');
  // BIP34 (height in coinbase), BIP65 (CLTV) and BIP66 (strict DER) from height 1, as on Core's regtest.
  regtest.block.bip34height = 1;
  regtest.block.bip65height = 1;
  regtest.block.bip66height = 1;

  const originalGetState = Chain.prototype.getState;
  Chain.prototype.getState = async function getState(prev: unknown, deployment: { name: string }) {
    if (ALWAYS_ACTIVE_DEPLOYMENTS.has(deployment.name)) return thresholdStates.ACTIVE;
    return originalGetState.call(this, prev, deployment);
  };

  // The node never talks to peers: no DNS probe for an external address (it costs ~2 s offline).
  Pool.prototype.discoverExternal = async function discoverExternal() {};
}

function coreLikeSendRawTransaction(node: any) {
  return async function sendrawtransaction(args: unknown[], help: boolean) {
    if (help || args.length < 1 || args.length > 2) {
      throw new RPCError(-1, 'sendrawtransaction "hexstring" ( maxfeerate )');
    }
    let tx: any;
    try {
      tx = bcoin.TX.fromRaw(Buffer.from(String(args[0]), 'hex'));
    } catch {
      throw new RPCError(RPC_DESERIALIZATION_ERROR, 'TX decode failed');
    }
    const hash = tx.hash();
    if (node.mempool.hasEntry(hash)) return tx.txid();
    if (await node.chain.db.hasTX(hash)) {
      throw new RPCError(RPC_VERIFY_ALREADY_IN_CHAIN, 'Transaction already in block chain');
    }
    let missing: unknown;
    try {
      missing = await node.mempool.addTX(tx);
    } catch (err: any) {
      if (err && err.type === 'VerifyError') throw new RPCError(RPC_VERIFY_REJECTED, err.reason);
      throw err;
    }
    if (missing) {
      // bcoin keeps such a transaction as an orphan; Core refuses it. Refuse it here too.
      if (node.mempool.hasOrphan(hash)) node.mempool.removeOrphan(hash);
      throw new RPCError(RPC_VERIFY_ERROR, 'bad-txns-inputs-missingorspent');
    }
    node.broadcast(tx);
    return tx.txid();
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      password: { type: 'string' },
      datadir: { type: 'string' },
      memory: { type: 'boolean', default: false },
      'exit-with-parent': { type: 'boolean', default: false },
    },
  });
  if (!values.port || !values.password || (!values.datadir && !values.memory)) {
    throw new Error('usage: embedded-node-main --port N --password P (--datadir DIR | --memory)');
  }
  makeRegtestLikeCore();
  if (values.datadir) mkdirSync(values.datadir, { recursive: true });

  const node = new bcoin.FullNode({
    network: 'regtest',
    memory: values.memory,
    prefix: values.datadir,
    httpHost: '127.0.0.1',
    httpPort: Number(values.port),
    apiKey: values.password,
    indexTX: true,
    workers: false,
    listen: false,
    seeds: [],
    logLevel: 'error',
    logConsole: true,
  });

  delete node.rpc.calls.sendrawtransaction;
  node.rpc.add('sendrawtransaction', coreLikeSendRawTransaction(node));
  // Core answers an unknown txid with -5 ("No such mempool or blockchain transaction"); bcoin with -1.
  const getRawTransaction = node.rpc.calls.getrawtransaction;
  delete node.rpc.calls.getrawtransaction;
  node.rpc.add('getrawtransaction', async (args: unknown[], help: boolean) => {
    try {
      return await getRawTransaction.call(node.rpc, args, help);
    } catch (err: any) {
      if (err?.message === 'Transaction not found.') {
        throw new RPCError(RPC_INVALID_ADDRESS_OR_KEY, 'No such mempool or blockchain transaction');
      }
      throw err;
    }
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try {
      await node.close();
    } finally {
      process.exit(0);
    }
  };
  // Core's `stop` RPC ends the process; bcoin's closes the node and leaves the process running.
  delete node.rpc.calls.stop;
  node.rpc.add('stop', async () => {
    setImmediate(shutdown);
    return 'Bitcoin server stopping';
  });
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // A node started for a test or by `lnlab start` must not outlive its parent.
  if (values['exit-with-parent']) process.on('disconnect', shutdown);

  // bcoin opens its databases under the prefix but only creates the folders when asked to.
  await node.ensure();
  await node.open();
  await node.connect();
  process.stdout.write(`lnlab-regtest ready on 127.0.0.1:${values.port}\n`);
}

main().catch((err) => {
  process.stderr.write(`embedded regtest node failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
