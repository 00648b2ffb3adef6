/** Coin selection: largest coins first, change unless it would be dust, and a typed error when short. */
import { describe, expect, it } from 'vitest';
import { InsufficientFundsError, KeysManager, OnChainWallet, dustThresholdSat, estimateWeight, feeForWeightRoundedUpSat, p2wpkhScriptPubKey, selectCoins } from '../../src/internal.js';
import { FixedFeeEstimator } from '../helpers/fakes.js';

const script = p2wpkhScriptPubKey(new KeysManager(new Uint8Array(32).fill(9)).nodeId);
const coin = (i: number, amountSat: bigint) => ({ outpoint: { txid: i.toString(16).padStart(64, '0'), vout: 0 }, amountSat });
const FEERATE = 2_500;

describe('selectCoins', () => {
  it('spends the largest coins first and returns change', () => {
    const coins = [coin(1, 10_000n), coin(2, 500_000n), coin(3, 200_000n)];
    const selection = selectCoins(coins, [{ scriptPubKey: script, amountSat: 600_000n }], script, FEERATE);
    expect(selection.inputs.map((c) => c.amountSat)).toEqual([500_000n, 200_000n]);
    expect(selection.feeSat).toBe(feeForWeightRoundedUpSat(FEERATE, BigInt(estimateWeight(2, [{ scriptPubKey: script, amountSat: 0n }, { scriptPubKey: script, amountSat: 0n }]))));
    expect(selection.changeSat).toBe(700_000n - 600_000n - selection.feeSat);
  });

  it('gives dust change to the miner instead of creating an output nobody relays', () => {
    const noChangeFee = feeForWeightRoundedUpSat(FEERATE, BigInt(estimateWeight(1, [{ scriptPubKey: script, amountSat: 0n }])));
    const amountSat = 100_000n - noChangeFee - (dustThresholdSat(script) - 1n);
    const selection = selectCoins([coin(1, 100_000n)], [{ scriptPubKey: script, amountSat }], script, FEERATE);
    expect(selection.changeSat).toBe(0n);
    expect(selection.feeSat).toBe(100_000n - amountSat);
  });

  it('throws InsufficientFundsError, saying how much was needed and available', () => {
    const error = (() => {
      try {
        selectCoins([coin(1, 50_000n)], [{ scriptPubKey: script, amountSat: 50_000n }], script, FEERATE);
      } catch (err) {
        return err;
      }
    })() as InsufficientFundsError;
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect(error.availableSat).toBe(50_000n);
    expect(error.neededSat).toBeGreaterThan(50_000n);
    expect(error.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('an empty wallet refuses to fund anything, and locks nothing', async () => {
    const wallet = new OnChainWallet(new KeysManager(new Uint8Array(32).fill(3)), new FixedFeeEstimator());
    await expect(wallet.fundTransaction([{ scriptPubKey: script, amountSat: 10_000n }])).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(wallet.spendableBalanceSat()).toBe(0n);
  });
});

describe('KeysManager.walletSecret', () => {
  it('is deterministic and separate from every channel key', () => {
    const km = new KeysManager(new Uint8Array(32).fill(0x42));
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(km.walletSecret(0))).toBe(hex(new KeysManager(new Uint8Array(32).fill(0x42)).walletSecret(0)));
    const ck = km.channelKeys(0);
    const channelSecrets = [ck.fundingSecret, ck.revocationBasepointSecret, ck.paymentBasepointSecret, ck.delayedPaymentBasepointSecret, ck.htlcBasepointSecret, ck.commitmentSeed, km.nodeSecret].map(hex);
    expect(channelSecrets).not.toContain(hex(km.walletSecret(0)));
    expect(hex(km.walletSecret(0))).not.toBe(hex(km.walletSecret(1)));
  });
});
