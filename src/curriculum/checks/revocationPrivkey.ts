/**
 * Checks of ⚡️ deep dive `revocationPrivkey`: BOLT 3 Appendix E's `revocationprivkey`, then the demo
 * channel, where the key must be the secret of the `revocationpubkey` every revoked commitment of Bob's pays
 * to (the public side is given code), including a key whose first byte is zero.
 * @see BOLT 3 "`revocationpubkey` Derivation", "Appendix E: Key Derivation Test Vectors"
 */
import { deriveRevocationPublicKey, publicKeyFromSecret } from '../../ln/keys.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { CheckFailure, expectEqual, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { APPENDIX_E, APPENDIX_E_MISTAKES, LEADING_ZERO_SECRET } from './fixtures/appendix-e.js';
import { START, nodeWith } from './support.js';

export type RevocationPrivkey = (this: ChannelMonitor, perCommitmentSecret: Uint8Array) => Uint8Array;

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const hexOf = (value: Uint8Array): string => Buffer.from(value).toString('hex');

/** Alice's demo monitor with the learner's method; `revocationBasepointSecret` replaces hers when given. */
function aliceMonitor(impl: RevocationPrivkey, revocationBasepointSecret?: Uint8Array) {
  const { ChannelMonitor: Monitor } = nodeWith('revocationPrivkey', impl);
  const pair = demoChannelPair();
  const init = pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START);
  const secrets = revocationBasepointSecret ? { ...init.secrets, revocationBasepointSecret } : init.secrets;
  return { pair, monitor: new Monitor({ ...init, secrets }) };
}

/** The learner's key, or a failure saying why what came back is not a 32-byte key. */
function keyFrom(monitor: ChannelMonitor, perCommitmentSecret: Uint8Array, what: string): Uint8Array {
  const key = monitor.revocationPrivkey(Uint8Array.from(perCommitmentSecret));
  if (!(key instanceof Uint8Array)) throw new CheckFailure(what, 'a 32-byte Uint8Array', show(key), 'return the key as bytes: 32, big-endian');
  if (key.length > 32) {
    throw new CheckFailure(what, 'a 32-byte key', `${key.length} bytes`,
      'a sum of two products is far larger than n: reduce it modulo `SECP256K1_ORDER` before turning it into bytes');
  }
  if (key.length < 32) {
    throw new CheckFailure(what, 'a 32-byte key', `${key.length} bytes (${show(key)})`,
      'a key is always 32 bytes: pad the big-endian number with leading zeros (`padStart(64, "0")` on its hex)');
  }
  return key;
}

export const tests: ExerciseTest<RevocationPrivkey>[] = [
  {
    name: 'BOLT 3 Appendix E: derivation of revocation secret from basepoint_secret and per_commitment_secret',
    async run(impl) {
      const { monitor } = aliceMonitor(impl, bytes(APPENDIX_E.revocationBasepointSecret));
      const what = "revocationPrivkey(Appendix E's per_commitment_secret) with Appendix E's revocation_basepoint_secret";
      const key = keyFrom(monitor, bytes(APPENDIX_E.perCommitmentSecret), what);
      if (hexOf(key) === APPENDIX_E.revocationprivkey) return;
      const known = APPENDIX_E_MISTAKES.find((m) => m.keyHex === hexOf(key));
      throw new CheckFailure(what, `0x${APPENDIX_E.revocationprivkey}`, show(key),
        known ? `${known.mistake}` : 'read BOLT 3 "revocationpubkey Derivation" again: which point comes first in each SHA256, and which secret each hash multiplies');
    },
  },
  {
    name: "its public key is the revocationpubkey of each of Bob's revoked commitments",
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const basepoint = publicKeyFromSecret(monitor.secrets.revocationBasepointSecret);
      for (const n of [0n, 1n, 2n, 7n]) {
        const secret = pair.keys.bob.perCommitmentSecret(n);
        const key = keyFrom(monitor, secret, `revocationPrivkey(Bob's secret for commitment #${n})`);
        expectEqual(hexOf(publicKeyFromSecret(key)), hexOf(deriveRevocationPublicKey(basepoint, publicKeyFromSecret(secret))),
          `publicKeyFromSecret(revocationPrivkey(Bob's secret #${n})) on the demo channel`,
          "use THIS monitor's `this.secrets.revocationBasepointSecret` and the secret passed in — the key must be the secret of `deriveRevocationPublicKey(basepoint, per_commitment_point)`");
      }
    },
  },
  {
    name: 'keeps leading zero bytes: a key is always 32 bytes',
    async run(impl) {
      const { monitor } = aliceMonitor(impl);
      const secret = bytes(LEADING_ZERO_SECRET);
      const key = keyFrom(monitor, secret, 'revocationPrivkey of a secret whose key starts with a zero byte');
      const basepoint = publicKeyFromSecret(monitor.secrets.revocationBasepointSecret);
      expectEqual(hexOf(publicKeyFromSecret(key)), hexOf(deriveRevocationPublicKey(basepoint, publicKeyFromSecret(secret))),
        'the public key of that key', 'the number is right only if the bytes are: 32 of them, big-endian, zero-padded on the left');
    },
  },
];
