/**
 * `npm run check-fixtures`: records the monitor the `blockConnected` checks start from (see
 * `src/curriculum/checks/demo-monitor-fixture.ts`), applying the payments with the reference
 * `updateMonitor`. Needs `solutions/`. `-- --check` writes nothing and exits 1 if the recording is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_MONITOR_FIXTURE, freshAliceMonitor, pairAfterPayments, recordingOf } from '../src/curriculum/checks/demo-monitor-fixture.js';
import { referenceNode } from '../src/curriculum/references.js';
import { PROJECT_ROOT } from '../src/util/paths.js';

/** The recording as the reference would make it now. */
export async function currentRecording(): Promise<string> {
  const { ChannelMonitor } = await referenceNode();
  const monitor = freshAliceMonitor(ChannelMonitor);
  const fresh = ChannelMonitor.fromBytes(monitor.toBytes());
  const { pair, updates } = pairAfterPayments();
  for (const update of updates) monitor.updateMonitor(update);
  return recordingOf(monitor, pair, fresh, updates);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = join(PROJECT_ROOT, DEMO_MONITOR_FIXTURE);
  const text = await currentRecording();
  const stale = (() => { try { return readFileSync(target, 'utf8') !== text; } catch { return true; } })();
  if (process.argv.includes('--check')) {
    process.stdout.write(stale ? `OUT OF DATE ${DEMO_MONITOR_FIXTURE} (run \`npm run check-fixtures\`)\n` : `up to date  ${DEMO_MONITOR_FIXTURE}\n`);
    process.exit(stale ? 1 : 0);
  }
  writeFileSync(target, text);
  process.stdout.write(`${stale ? 'recorded' : 'up to date'}  ${DEMO_MONITOR_FIXTURE}\n`);
}
