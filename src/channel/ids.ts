/** Channel identifiers: the temporary id of an opening, and the id derived from the funding outpoint. */
import { randomBytes } from 'node:crypto';
import type { OutPoint } from '../ln/types.js';

/** Ids are 32 bytes. @see BOLT 2 "Definition of `channel_id`" */
const CHANNEL_ID_BYTES = 32;

/**
 * A fresh random `temporary_channel_id` (hex): names the channel until the funding outpoint is known.
 * @see BOLT 2 "The `open_channel` Message"
 */
export function randomTemporaryChannelId(): string {
  return randomBytes(CHANNEL_ID_BYTES).toString('hex');
}

/**
 * `channel_id`: the funding txid in internal byte order with the funding output index XORed into its last
 * two bytes, as hex.
 * @see BOLT 2 "Definition of `channel_id`"
 */
export function channelIdFromFundingOutpoint(outpoint: OutPoint): string {
  const bytes = Buffer.from(outpoint.txid, 'hex').reverse();
  bytes[30]! ^= (outpoint.vout >> 8) & 0xff;
  bytes[31]! ^= outpoint.vout & 0xff;
  return bytes.toString('hex');
}
