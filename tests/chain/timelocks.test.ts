/**
 * Lightning's penalty window is a relative timelock (OP_CHECKSEQUENCEVERIFY, BIP 68/112) and its HTLC
 * timeouts an absolute one (OP_CHECKLOCKTIMEVERIFY, BIP 65). Both must be enforced by the node from the
 * first blocks, as on Bitcoin Core's regtest, or a premature sweep would be accepted and the workshop would
 * teach the wrong lesson.
 */
import { describe, expect, it } from 'vitest';
import { payments, script as bscript, opcodes } from 'bitcoinjs-lib';
import { BroadcastRejectedError, FAUCET_OUTPUT_SCRIPT } from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { spendTx } from '../helpers/p2wpkh.js';

const chain = useRegtestChain();

function p2wshOf(witnessScript: Uint8Array): Uint8Array {
  return payments.p2wsh({ redeem: { output: witnessScript } }).output!;
}

async function rejection(promise: Promise<unknown>): Promise<BroadcastRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BroadcastRejectedError);
  return error as BroadcastRejectedError;
}

describe('timelocks on the embedded regtest node', () => {
  it('rejects a CSV-locked P2WSH spend before its delay (non-BIP68-final) and accepts it after', async () => {
    const delayBlocks = 5;
    const witnessScript = bscript.compile([bscript.number.encode(delayBlocks), opcodes.OP_CHECKSEQUENCEVERIFY!, opcodes.OP_DROP!, opcodes.OP_TRUE!]);
    const funded = await chain.faucet.fund(p2wshOf(witnessScript), 30_000n);
    await chain.faucet.mine(1);

    const spend = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 29_000n, delayBlocks);
    spend.setWitness(0, [witnessScript]);
    const early = await rejection(chain.client.broadcastTransactions(spend));
    expect(early.reason).toMatch(/non-BIP68-final/);
    expect(await chain.client.getConfirmations(spend.getId())).toBeNull();

    // The funding has 1 confirmation; a relative delay of 5 is met once it has 5 (the spend goes in the 6th block).
    await chain.faucet.mine(delayBlocks - 1);
    await expect(chain.client.broadcastTransactions(spend)).resolves.toEqual([spend.getId()]);
    await chain.faucet.mine(1);
    expect(await chain.client.getConfirmations(spend.getId())).toBe(1);
  });

  it('enforces the CSV script even when the sequence is too small (script failure, not a finality one)', async () => {
    const witnessScript = bscript.compile([bscript.number.encode(10), opcodes.OP_CHECKSEQUENCEVERIFY!, opcodes.OP_DROP!, opcodes.OP_TRUE!]);
    const funded = await chain.faucet.fund(p2wshOf(witnessScript), 30_000n);
    await chain.faucet.mine(12);
    const spend = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 29_000n, 3);
    spend.setWitness(0, [witnessScript]);
    expect((await rejection(chain.client.broadcastTransactions(spend))).reason).toMatch(/script-verify-flag/);
  });

  it('enforces OP_CHECKLOCKTIMEVERIFY from the first blocks (BIP 65 active, as on Core)', async () => {
    const { height } = await chain.client.getBestBlock();
    const unlockHeight = height + 3;
    const witnessScript = bscript.compile([bscript.number.encode(unlockHeight), opcodes.OP_CHECKLOCKTIMEVERIFY!, opcodes.OP_DROP!, opcodes.OP_TRUE!]);
    const funded = await chain.faucet.fund(p2wshOf(witnessScript), 30_000n);
    await chain.faucet.mine(1);

    // nLockTime below what the script demands: the transaction is final, but the script fails.
    const tooEarly = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 29_000n, 0xfffffffe);
    tooEarly.locktime = height;
    tooEarly.setWitness(0, [witnessScript]);
    expect((await rejection(chain.client.broadcastTransactions(tooEarly))).reason).toMatch(/script-verify-flag/);

    const onTime = spendTx(funded.txid, funded.vout, FAUCET_OUTPUT_SCRIPT, 29_000n, 0xfffffffe);
    onTime.locktime = unlockHeight;
    onTime.setWitness(0, [witnessScript]);
    // Not final until the chain reaches the locktime.
    expect((await rejection(chain.client.broadcastTransactions(onTime))).reason).toMatch(/non-final/);
    await chain.faucet.mine(2);
    await expect(chain.client.broadcastTransactions(onTime)).resolves.toEqual([onTime.getId()]);
  });
});
