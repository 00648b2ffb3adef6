/** Reference solution of ⚡️ `updateMonitor` (notebook 03). */
import { InvalidMonitorUpdateError, PAYMENT_PREIMAGE_BYTES, type ChannelMonitor, type ChannelMonitorUpdate } from '../src/index.js';

/**
 * Applies one update. A preimage is stored once; a commitment secret must pass BOLT 3's check (it must
 * derive every secret stored before it), otherwise it is rejected with an error and nothing changes.
 */
export function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {
  if (update.kind === 'PaymentPreimage') { // (given)
    // store the preimage in `preimages`: only a 32-byte one, and only once
    if (update.paymentPreimage.length !== PAYMENT_PREIMAGE_BYTES) {
      throw new InvalidMonitorUpdateError(
        `updateMonitor: a payment preimage is ${PAYMENT_PREIMAGE_BYTES} bytes, got ${update.paymentPreimage.length}`,
        'pass the preimage from update_fulfill_htlc',
      );
    }
    const known = this.preimages.some((p) => Buffer.from(p).equals(Buffer.from(update.paymentPreimage)));
    if (!known) this.preimages.push(update.paymentPreimage);
    return; // (given)
  } // (given)
  if (update.kind === 'CommitmentSecret') { // (given)
    // hand the secret to the compact secret store: it throws, changing nothing, when the secret does not
    // derive the ones already stored
    this.commitmentSecrets.provideSecret(update.index, update.secret);
    return; // (given)
  } // (given)
  // our newest commitment or theirs: remember it, to recognise it on chain
  this.recordLatestCommitment(update);
}
