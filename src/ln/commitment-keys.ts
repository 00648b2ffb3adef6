/**
 * The per-commitment keys of one commitment transaction, derived from both sides' basepoints and the
 * owner's per-commitment point. BOLT 3 calls the owner "local" and the other side "remote"; the names
 * here say which role a key plays so they stay right whichever side builds the transaction.
 * @see BOLT 3 "Key Derivation"
 */
import { derivePublicKey, deriveRevocationPublicKey, assertPublicKey } from './keys.js';
import type { ChannelPublicKeys } from './types.js';

/**
 * The keys one commitment transaction's scripts use.
 * @see BOLT 3 "Key Derivation"
 */
export interface CommitmentKeys {
  /** The owner's per-commitment point for this commitment number. */
  readonly perCommitmentPoint: Uint8Array;
  /** BOLT 3 `revocationpubkey`: from the *countersignatory's* revocation basepoint. */
  readonly revocationPubkey: Uint8Array;
  /** BOLT 3 `local_delayedpubkey`: the owner's delayed-payment key. */
  readonly broadcasterDelayedPubkey: Uint8Array;
  /** BOLT 3 `local_htlcpubkey`. */
  readonly broadcasterHtlcPubkey: Uint8Array;
  /** BOLT 3 `remote_htlcpubkey`. */
  readonly countersignatoryHtlcPubkey: Uint8Array;
  /** BOLT 3 `remotepubkey`: with `option_static_remotekey`, the countersignatory's payment basepoint unchanged. */
  readonly countersignatoryPaymentPubkey: Uint8Array;
}

/**
 * Derives a commitment's keys. `broadcaster` is the commitment's owner (who can publish it),
 * `countersignatory` the other side; only the basepoints listed in the parameter types are read, so a
 * watcher holding just those can call it.
 * @see BOLT 3 "Key Derivation"
 */
export function deriveCommitmentKeys(
  perCommitmentPoint: Uint8Array,
  broadcaster: Pick<ChannelPublicKeys, 'delayedPaymentBasepoint' | 'htlcBasepoint'>,
  countersignatory: Pick<ChannelPublicKeys, 'revocationBasepoint' | 'htlcBasepoint' | 'paymentBasepoint'>,
): CommitmentKeys {
  return Object.freeze({
    perCommitmentPoint,
    revocationPubkey: deriveRevocationPublicKey(countersignatory.revocationBasepoint, perCommitmentPoint),
    broadcasterDelayedPubkey: derivePublicKey(broadcaster.delayedPaymentBasepoint, perCommitmentPoint),
    broadcasterHtlcPubkey: derivePublicKey(broadcaster.htlcBasepoint, perCommitmentPoint),
    countersignatoryHtlcPubkey: derivePublicKey(countersignatory.htlcBasepoint, perCommitmentPoint),
    countersignatoryPaymentPubkey: assertPublicKey(countersignatory.paymentBasepoint, 'countersignatory paymentBasepoint'),
  });
}
