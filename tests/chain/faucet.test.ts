/**
 * The regtest faucet on a real embedded node: one transaction for many payments, and two faucets on one
 * node (two grading processes at once) that never lose a payment to a coin the other took — bcoin's
 * `gettxout` still calls an output unspent while a mempool transaction spends it.
 */
import { describe, expect, it } from 'vitest';
import type { Transaction } from 'bitcoinjs-lib';
import { BitcoindClient, BroadcastRejectedError, FAUCET_OUTPUT_SCRIPT, Faucet, isSpentInputRejection, type FundedOutput } from '../../src/internal.js';
import { newTestKey } from '../helpers/p2wpkh.js';
import { useRegtestChain } from '../helpers/regtest.js';

const chain = useRegtestChain();

/** A client of the test node whose refused broadcasts are recorded (the faucet's own view of the node). */
function recordingClient(): { client: BitcoindClient; refused: unknown[] } {
  const client = new BitcoindClient(chain.node.config);
  const refused: unknown[] = [];
  const broadcast = client.broadcastTransactions.bind(client);
  Object.defineProperty(client, 'broadcastTransactions', {
    value: async (...txs: Transaction[]) => {
      try {
        return await broadcast(...txs);
      } catch (err) {
        refused.push(err);
        throw err;
      }
    },
  });
  return { client, refused };
}

/** `txid:vout` of every input of `tx`. */
function inputsOf(tx: Transaction): string[] {
  return tx.ins.map((input) => `${Buffer.from(input.hash).reverse().toString('hex')}:${input.index}`);
}

/** Every payment confirmed with its amount and script, and no coin spent by two of the transactions. */
async function expectAllConfirmed(funded: readonly FundedOutput[]): Promise<void> {
  for (const output of funded) {
    expect(await chain.client.getConfirmations(output.txid)).toBeGreaterThanOrEqual(1);
    expect(output.tx.outs[output.vout]!.value).toBe(output.amountSat);
    expect(Buffer.from(output.tx.outs[output.vout]!.script).equals(Buffer.from(output.outputScript))).toBe(true);
  }
  const txs = [...new Map(funded.map((f) => [f.txid, f.tx])).values()];
  const inputs = txs.flatMap(inputsOf);
  expect(new Set(inputs).size).toBe(inputs.length);
}

describe('Faucet', () => {
  it('fundMany pays every output in one transaction, confirmed by one block, change back to the faucet', async () => {
    const scripts = [newTestKey().outputScript, newTestKey().outputScript, FAUCET_OUTPUT_SCRIPT];
    const funded = await chain.faucet.fundMany(scripts.map((outputScript, i) => ({ outputScript, amountSat: 100_000n * BigInt(i + 1) })));
    expect(new Set(funded.map((f) => f.txid)).size).toBe(1);
    expect(funded.map((f) => f.vout)).toEqual([0, 1, 2]);
    const tx = funded[0]!.tx;
    expect(tx.outs).toHaveLength(scripts.length + 1);
    expect(Buffer.from(tx.outs[scripts.length]!.script).equals(Buffer.from(FAUCET_OUTPUT_SCRIPT))).toBe(true);
    await chain.faucet.mine(1);
    await expectAllConfirmed(funded);
  });

  it('refuses an empty or non-positive request with a RangeError', async () => {
    await expect(chain.faucet.fundMany([])).rejects.toThrow(RangeError);
    await expect(chain.faucet.fund(FAUCET_OUTPUT_SCRIPT, 0n)).rejects.toThrow(/expected a positive amount/);
  });

  it('a second faucet on the node drops the coin the first spent in the mempool and pays from the next one', async () => {
    await chain.faucet.mine(1); // every earlier payment confirmed: both faucets see the same unspent coinbases
    const first = recordingClient();
    const second = recordingClient();
    const faucetA = await Faucet.create(first.client);
    const faucetB = await Faucet.create(second.client);
    const paidA = await faucetA.fund(newTestKey().outputScript, 40_000n);
    const paidB = await faucetB.fund(newTestKey().outputScript, 40_000n);

    expect(first.refused).toEqual([]);
    // Exactly one refusal: B picked A's coin (still "unspent" to gettxout), the node refused it, B moved on.
    expect(second.refused).toHaveLength(1);
    expect(second.refused[0]).toBeInstanceOf(BroadcastRejectedError);
    expect(isSpentInputRejection(second.refused[0])).toBe(true);
    expect(inputsOf(paidB.tx)).not.toEqual(inputsOf(paidA.tx));
    expect(await chain.client.getConfirmations(paidB.txid)).toBe(0);
    await faucetA.mine(1);
    await expectAllConfirmed([paidA, paidB]);
  });

  it('two faucets paying at the same time on one node: every payment lands, no coin spent twice', async () => {
    await chain.faucet.mine(1);
    const first = recordingClient();
    const second = recordingClient();
    const [faucetA, faucetB] = await Promise.all([Faucet.create(first.client), Faucet.create(second.client)]);
    const payments = Array.from({ length: 5 }, () => [faucetA, faucetB] as const).flat()
      .map((faucet, i) => faucet.fund(newTestKey().outputScript, 20_000n + BigInt(i)));
    const funded = await Promise.all(payments);

    // Payments of one faucet run one at a time: only the other faucet can take a coin from under it.
    const refusals = [...first.refused, ...second.refused];
    expect(refusals.every(isSpentInputRejection)).toBe(true);
    expect(refusals.length).toBeLessThanOrEqual(1);
    await faucetB.mine(1);
    await expectAllConfirmed(funded);
  });

  it('one faucet asked for many payments at once takes its coins one at a time: no refusal at all', async () => {
    await chain.faucet.mine(1);
    const only = recordingClient();
    const faucet = await Faucet.create(only.client);
    const funded = await Promise.all(Array.from({ length: 6 }, (_, i) => faucet.fund(newTestKey().outputScript, 30_000n + BigInt(i))));
    expect(only.refused).toEqual([]);
    await faucet.mine(1);
    await expectAllConfirmed(funded);
  });

  it('a refusal that is not a double spend reaches the caller, and the coin stays the faucet\'s', async () => {
    await chain.faucet.mine(1);
    const client = new BitcoindClient(chain.node.config);
    const faucet = await Faucet.create(client);
    const broadcast = client.broadcastTransactions.bind(client);
    let refuseNext = true;
    const spent: string[][] = [];
    Object.defineProperty(client, 'broadcastTransactions', {
      value: async (...txs: Transaction[]) => {
        spent.push(inputsOf(txs[0]!));
        if (!refuseNext) return broadcast(...txs);
        refuseNext = false;
        throw new BroadcastRejectedError(txs[0]!.getId(), -26, 'min relay fee not met');
      },
    });
    await expect(faucet.fund(newTestKey().outputScript, 25_000n)).rejects.toThrow(/min relay fee not met/);
    const paid = await faucet.fund(newTestKey().outputScript, 25_000n);
    expect(spent[1]).toEqual(spent[0]);
    await faucet.mine(1);
    await expectAllConfirmed([paid]);
  });
});
