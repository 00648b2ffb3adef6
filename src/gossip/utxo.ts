/**
 * Looking up a `short_channel_id` on chain: the output it names, so a `channel_announcement` for a channel
 * that does not exist (or is closed) is refused.
 * @see BOLT 7 "The `channel_announcement` Message"
 */
import type { BitcoindClient } from '../chain/bitcoind-client.js';
import { decodeShortChannelId } from './messages.js';

/** The output a `short_channel_id` names, if it exists and is unspent. */
export interface UtxoLookup {
  getUtxo(shortChannelId: bigint): Promise<{ readonly scriptPubKey: Uint8Array; readonly amountSat: bigint } | null>;
}

/** A `UtxoLookup` asking the regtest node. */
export class ChainUtxoLookup implements UtxoLookup {
  constructor(private readonly client: BitcoindClient) {}

  async getUtxo(shortChannelId: bigint): Promise<{ scriptPubKey: Uint8Array; amountSat: bigint } | null> {
    const { blockHeight, txIndex, outputIndex } = decodeShortChannelId(shortChannelId);
    const tip = await this.client.getBestBlock();
    if (blockHeight > tip.height) return null;
    const block = await this.client.getBlock(await this.client.getBlockHash(blockHeight));
    const tx = block.transactions?.[txIndex];
    const output = tx?.outs[outputIndex];
    if (!tx || !output) return null;
    if (!(await this.client.isUnspent(tx.getId(), outputIndex))) return null;
    return { scriptPubKey: output.script, amountSat: output.value };
  }
}
