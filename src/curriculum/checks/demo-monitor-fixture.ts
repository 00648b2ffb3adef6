/**
 * Alice's monitor for the demo channel after a few payments, as bytes recorded once by
 * `npm run check-fixtures` (which applies the payments' updates with the reference `updateMonitor`).
 *
 * Why a recording: the `blockConnected` checks need a monitor that knows revoked commitments, and building
 * one takes `updateMonitor` — another exercise, which a learner may not have solved and an answer-free copy
 * does not hold. `ChannelMonitor.fromBytes` is given code, so reading the recording needs no exercise.
 * `tests/structure/check-fixtures.test.ts` fails when the recording no longer matches what the reference
 * would produce (e.g. after a change to the monitor's byte format).
 */
import { Transaction } from 'bitcoinjs-lib';
import { secretIndexForCommitment } from '../../ln/secrets.js';
import type { ClassifiedSpend } from '../../monitor/channel-monitor-state.js';
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import type { NodeMethods } from '../../node/assemble.js';
import { decodeMonitorUpdate, encodeMonitorUpdate } from '../../persist/update-codec.js';
import type { ChannelMonitor, ChannelMonitorClass } from '../../node/channel-monitor.js';
import type { ChannelPair } from '../../workshop/channel-pair.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { RECORDING } from './fixtures/alice-after-payments.js';
import { START } from './support.js';

/**
 * Where the recording lives, relative to the repository root: a module, not a data file, so it is bundled
 * into the grading child (which may read no file but its own bundle).
 */
export const DEMO_MONITOR_FIXTURE = 'src/curriculum/checks/fixtures/alice-after-payments.ts';

/** The payments the recording has seen: Alice pays Bob this many times this much. */
export const RECORDED_PAYMENTS = Object.freeze({ count: 3, amountMsat: 10_000_000n });

export interface Recording {
  readonly payments: number;
  readonly amountMsat: string;
  readonly monitorHex: string;
  /** Alice's monitor before the payments (signing its holder commitment at check time costs ~150 ms). */
  readonly freshMonitorHex: string;
  /** Every update Alice's monitor got during the payments, in order, as `encodeMonitorUpdate` bytes. */
  readonly updatesHex: readonly string[];
  /** Bob's signed commitments the checks put in blocks, by `bob:<number>` or `bob:current`. */
  readonly commitments: Readonly<Record<string, string>>;
  /**
   * Alice's revocation private key for each commitment Bob revoked, by his revealed per-commitment secret
   * (hex → hex), as the reference `revocationPrivkey` derived them: what `reactTo` needs to sign a justice
   * transaction, without the deep dive that derives it.
   */
  readonly revocationKeys: Readonly<Record<string, string>>;
  /**
   * What the reference `classifySpend` made of each recorded commitment, by txid: its kind and number.
   * A revoked one's secret is not recorded: the given store of the recorded monitor answers it.
   */
  readonly spends: Readonly<Record<string, { readonly kind: ClassifiedSpend['kind']; readonly commitmentNumber?: string }>>;
}

/** The commitments the recording keeps (signing them at check time would cost half a second). */
export const RECORDED_COMMITMENTS: readonly (bigint | undefined)[] = [0n, 1n, undefined];

/** Every recorded commitment: Bob's above, and Alice's own current one (our force close). */
const RECORDED_PARTY_COMMITMENTS: readonly ['alice' | 'bob', bigint | undefined][] = [
  ...RECORDED_COMMITMENTS.map((n) => ['bob', n] as ['bob', bigint | undefined]),
  ['alice', undefined],
];

function commitmentKey(party: 'alice' | 'bob', n?: bigint): string {
  return `${party}:${n ?? 'current'}`;
}

/** The demo pair after the recorded payments, and every update Alice's monitor got along the way. */
export function pairAfterPayments(): { pair: ChannelPair; updates: ChannelMonitorUpdate[] } {
  const pair = demoChannelPair();
  const updates: ChannelMonitorUpdate[] = [];
  for (let i = 0; i < RECORDED_PAYMENTS.count; i++) updates.push(...pair.pay('alice', RECORDED_PAYMENTS.amountMsat).alice);
  return { pair, updates };
}

/** Bob's signed commitment number `n` (his current one when `n` is absent), from the recording. */
export function recordedCommitment(party: 'alice' | 'bob', n?: bigint): Transaction {
  const hex = RECORDING.commitments?.[commitmentKey(party, n)];
  if (!hex) throw new Error(`${DEMO_MONITOR_FIXTURE} has no commitment ${commitmentKey(party, n)}: run \`npm run check-fixtures\``);
  return Transaction.fromHex(hex);
}

/** A fresh Alice monitor (no payments yet), the one the recording starts from. */
export function freshAliceMonitor<M extends ChannelMonitor>(Monitor: new (...args: ConstructorParameters<ChannelMonitorClass>) => M): M {
  return new Monitor(demoChannelPair().monitorInit('alice', DEMO_ALICE_DESTINATION, START));
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The per-commitment secrets of every commitment Bob has revoked, as `monitor` holds them. */
function revokedSecrets(monitor: ChannelMonitor): Uint8Array[] {
  const secrets: Uint8Array[] = [];
  for (let n = 0n; ; n++) {
    const secret = monitor.commitmentSecrets.getSecret(secretIndexForCommitment(n));
    if (!secret) return secrets;
    secrets.push(secret);
  }
}

/**
 * A scenario double for the deep dive `revocationPrivkey` (a hole in the grading child): it answers the
 * recorded key for each secret of the recording and refuses any other, so a `blockConnected` check runs the
 * given `reactTo` to a signed justice transaction without needing that deep dive solved.
 */
export function recordedRevocationKeys(): NodeMethods {
  function revocationPrivkey(this: ChannelMonitor, perCommitmentSecret: Uint8Array): Uint8Array {
    const key = RECORDING.revocationKeys?.[hex(perCommitmentSecret)];
    if (!key) throw new Error(`${DEMO_MONITOR_FIXTURE} has no revocation key for that secret: run \`npm run check-fixtures\``);
    return Uint8Array.from(Buffer.from(key, 'hex'));
  }
  return { ChannelMonitor: { revocationPrivkey } };
}

/**
 * A scenario double for the deep dive `classifySpend` (a hole in the grading child): it answers what the
 * reference answered for each recorded commitment (a revoked one's secret from the monitor's given store)
 * and refuses any other transaction, so a `blockConnected` check runs the given `reactTo` without needing
 * that deep dive solved.
 */
export function recordedSpends(): NodeMethods {
  function classifySpend(this: ChannelMonitor, tx: Transaction): ClassifiedSpend {
    const recorded = RECORDING.spends?.[tx.getId()];
    if (!recorded) throw new Error(`${DEMO_MONITOR_FIXTURE} has no classification of ${tx.getId()}: run \`npm run check-fixtures\``);
    if (recorded.kind === 'CooperativeClose') return { kind: 'CooperativeClose' };
    const commitmentNumber = BigInt(recorded.commitmentNumber!);
    if (recorded.kind !== 'RevokedCommitment') return { kind: recorded.kind, commitmentNumber };
    const perCommitmentSecret = this.commitmentSecrets.getSecret(secretIndexForCommitment(commitmentNumber))!;
    return { kind: 'RevokedCommitment', commitmentNumber, perCommitmentSecret };
  }
  return { ChannelMonitor: { classifySpend } };
}

/** What the recording module holds for `monitor`. */
export function recordingOf(monitor: ChannelMonitor, pair: ChannelPair, fresh: ChannelMonitor, updates: readonly ChannelMonitorUpdate[]): string {
  const recording: Recording = {
    freshMonitorHex: Buffer.from(fresh.toBytes()).toString('hex'),
    updatesHex: updates.map((update) => Buffer.from(encodeMonitorUpdate(update)).toString('hex')),
    commitments: Object.fromEntries(RECORDED_PARTY_COMMITMENTS.map(([party, n]) => [commitmentKey(party, n), pair.signedCommitment(party, n).toHex()])),
    payments: RECORDED_PAYMENTS.count,
    amountMsat: String(RECORDED_PAYMENTS.amountMsat),
    monitorHex: Buffer.from(monitor.toBytes()).toString('hex'),
    spends: Object.fromEntries(RECORDED_PARTY_COMMITMENTS.map(([party, n]) => {
      const tx = pair.signedCommitment(party, n);
      const spend = monitor.classifySpend(tx);
      return [tx.getId(), 'commitmentNumber' in spend ? { kind: spend.kind, commitmentNumber: String(spend.commitmentNumber) } : { kind: spend.kind }];
    })),
    revocationKeys: Object.fromEntries(revokedSecrets(monitor).map((secret) => [hex(secret), hex(monitor.revocationPrivkey(secret))])),
  };
  return [
    '// Recorded by `npm run check-fixtures`; do not edit. See ../demo-monitor-fixture.ts.',
    "import type { Recording } from '../demo-monitor-fixture.js';",
    '',
    `export const RECORDING: Recording = ${JSON.stringify(recording, null, 2)};`,
    '',
  ].join('\n');
}

/** Alice's monitor before the payments, as an instance of `Monitor`. */
export function recordedFreshMonitor<M extends ChannelMonitor>(Monitor: { fromBytes(bytes: Uint8Array, name?: string): M }): M {
  return Monitor.fromBytes(Uint8Array.from(Buffer.from(RECORDING.freshMonitorHex, 'hex')), DEMO_MONITOR_FIXTURE);
}

/** The recorded payments' updates, freshly decoded (so a learner's code cannot keep one across checks). */
export function recordedUpdates(): ChannelMonitorUpdate[] {
  return RECORDING.updatesHex.map((hex, i) => decodeMonitorUpdate(Uint8Array.from(Buffer.from(hex, 'hex')), `${DEMO_MONITOR_FIXTURE} update ${i}`));
}

let cached: Uint8Array | undefined;

/** The recorded monitor, read back as an instance of `Monitor` (the class with the learner's method). */
export function recordedAliceMonitor<M extends ChannelMonitor>(Monitor: { fromBytes(bytes: Uint8Array, name?: string): M }): M {
  if (!cached) {
    const recording = RECORDING;
    if (recording.payments !== RECORDED_PAYMENTS.count || recording.amountMsat !== String(RECORDED_PAYMENTS.amountMsat)) {
      throw new Error(`${DEMO_MONITOR_FIXTURE} records other payments than the checks expect: run \`npm run check-fixtures\``);
    }
    cached = Uint8Array.from(Buffer.from(recording.monitorHex, 'hex'));
  }
  return Monitor.fromBytes(cached, DEMO_MONITOR_FIXTURE);
}
