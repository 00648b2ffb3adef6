/**
 * `npm run bench`: the workshop's speed and memory figures. Prints a table, or with `--json` one JSON
 * object per line: `name`, `value`, `unit`, plus the parameters.
 */
import { benchChainMonitorBlock, benchMonitorUpdatePersist } from './chain-monitor.js';
import { benchFileStore, type BenchResult } from './filestore.js';
import { benchGrade } from './grade.js';
import { benchRoom } from './room.js';
import { benchStart } from './start.js';
import { benchCreateChannel } from './create-channel.js';
import { benchLearnerMemory, benchNodeStart } from './node-and-memory.js';

const json = process.argv.includes('--json');
const suites: Array<[string, () => Promise<BenchResult[]>]> = [
  ['chain monitor block', benchChainMonitorBlock],
  ['monitor update persist', () => benchMonitorUpdatePersist()],
  ['file store', () => benchFileStore()],
  ['grade', benchGrade],
  ['room', benchRoom],
  ['start', benchStart],
  ['createChannel checks', benchCreateChannel],
  ['regtest node', benchNodeStart],
  ['learner memory', benchLearnerMemory],
];

for (const [title, run] of suites) {
  const results = await run();
  for (const result of results) {
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const { name, value, unit, ...params } = result;
      const detail = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`${title.padEnd(24)} ${name.padEnd(26)} ${String(value).padStart(10)} ${unit.padEnd(10)} ${detail}\n`);
    }
  }
}
