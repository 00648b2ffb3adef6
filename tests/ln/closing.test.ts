/** Cooperative close: the funder pays the fee, dust is dropped, outputs are BIP 69 ordered, both sign. */
import { describe, expect, test } from 'vitest';
import { buildClosingTx, channelFundingOutput, closingFeeSat, closingTxWeight, finalizeClosingTx, signClosingTx } from '../../src/ln/index.js';
import { assertSpends } from './bolt3-fixture.js';
import { alice, ALICE_WALLET_SCRIPT, bob, BOB_WALLET_SCRIPT, CHANNEL_VALUE_SAT, channelView, FUNDING_OUTPOINT } from './two-party.js';

const funding = channelFundingOutput(channelView('alice'));
const base = {
  fundingOutpoint: FUNDING_OUTPOINT,
  funding,
  funder: 'holder' as const,
  holderScriptPubKey: ALICE_WALLET_SCRIPT,
  counterpartyScriptPubKey: BOB_WALLET_SCRIPT,
  dustLimitSat: 546n,
};

describe('closing transaction', () => {
  test('pays both balances, fee from the funder, signed by both funding keys', () => {
    const feeSat = closingFeeSat(253, funding, ALICE_WALLET_SCRIPT, BOB_WALLET_SCRIPT);
    const closing = buildClosingTx({ ...base, holderBalanceMsat: 1_400_000_500n, counterpartyBalanceMsat: 599_999_500n, feeSat });
    expect(closing.tx.version).toBe(2);
    expect(closing.tx.locktime).toBe(0);
    expect(closing.tx.ins[0]!.sequence).toBe(0xffffffff);
    const byside = Object.fromEntries(closing.outputs.map((output) => [output.side, output.amountSat]));
    expect(byside).toEqual({ holder: 1_400_000n - feeSat, counterparty: 599_999n });
    // BIP 69: ascending amount.
    expect(closing.tx.outs.map((out) => out.value)).toEqual([599_999n, 1_400_000n - feeSat]);
    expect(closing.totalFeeSat).toBe(feeSat + 1n);

    const signed = finalizeClosingTx(
      closing,
      { fundingPubkey: bob.pubkeys.fundingPubkey, signature: signClosingTx(closing, bob.fundingSecret) },
      { fundingPubkey: alice.pubkeys.fundingPubkey, signature: signClosingTx(closing, alice.fundingSecret) },
    );
    assertSpends(signed, 0, funding.scriptPubKey, CHANNEL_VALUE_SAT);
    expect(signed.weight()).toBeLessThanOrEqual(closingTxWeight(funding, ALICE_WALLET_SCRIPT, BOB_WALLET_SCRIPT));
  });

  test('drops an output below the dust limit (its value goes to fees)', () => {
    const closing = buildClosingTx({ ...base, holderBalanceMsat: CHANNEL_VALUE_SAT * 1000n - 500_000n, counterpartyBalanceMsat: 500_000n, feeSat: 300n });
    expect(closing.outputs.map((output) => output.side)).toEqual(['holder']);
    expect(closing.totalFeeSat).toBe(800n);
  });
});
