/**
 * The recording the `blockConnected` checks start from (`src/curriculum/checks/fixtures/`) is what the
 * reference `updateMonitor` makes of the recorded payments today: a change to the monitor's bytes or to the
 * demo channel makes this fail, with the command that re-records it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentRecording } from '../../scripts/record-check-fixtures.js';
import { FIRST_PER_COMMITMENT_INDEX, HOLED_NODE, PROJECT_ROOT } from '../../src/internal.js';
import { DEMO_MONITOR_FIXTURE, freshAliceMonitor, pairAfterPayments, recordedAliceMonitor, recordingOf } from '../../src/curriculum/checks/demo-monitor-fixture.js';
import { RECORDING } from '../../src/curriculum/checks/fixtures/alice-after-payments.js';
import { ChannelMonitor as ReferenceMonitor } from '../helpers/reference.js';

describe('the recorded demo monitor', () => {
  it('matches what the reference records now (else: npm run check-fixtures)', async () => {
    expect(readFileSync(join(PROJECT_ROOT, DEMO_MONITOR_FIXTURE), 'utf8'), `${DEMO_MONITOR_FIXTURE} is stale: run \`npm run check-fixtures\``).toBe(await currentRecording());
  });

  it('knows the revoked commitments the checks mine', () => {
    const monitor = recordedAliceMonitor(HOLED_NODE.ChannelMonitor);
    expect(monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX)).toBeDefined();
    expect(Object.keys(RECORDING.commitments)).toEqual(['bob:0', 'bob:1', 'bob:current', 'alice:current']);
  });

  it('a recording without the payments would be caught as stale', () => {
    const fresh = freshAliceMonitor(ReferenceMonitor);
    const stale = recordingOf(fresh, pairAfterPayments().pair, fresh, []);
    expect(/"monitorHex": "([0-9a-f]+)"/.exec(stale)?.[1]).not.toBe(RECORDING.monitorHex);
  });
});
