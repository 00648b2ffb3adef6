/**
 * Later notebooks run the learner's own functions where they pass their checks, and the reference where
 * they do not (yet), and say which is which. Each notebook has its own kernel, so the functions come from
 * cells of the notebook that calls `assembleComponents` (pasted there by the learner).
 */
import { ChainMonitor } from '../../solutions/chain-monitor.js';
import { ChannelManager } from '../../solutions/channel-manager.js';
import { ChannelMonitor } from '../../solutions/channel-monitor.js';
import { runTests } from './check/runner.js';
import { withMethod } from './checks/install.js';
import { EXERCISES, exerciseById } from './exercises.js';

/** The learner's functions, by exercise id (`{ blockConnected, watchChannel }`); any may be missing. */
export type YourFunctions = Partial<Record<string, unknown>>;

/** Where each exercise's part comes from in the assembled components. */
export type PartSource = 'yours' | 'reference';

/** The reference components with the learner's passing functions in place of theirs. */
export interface AssembledComponents {
  readonly ChannelMonitor: typeof ChannelMonitor;
  readonly ChainMonitor: typeof ChainMonitor;
  readonly ChannelManager: typeof ChannelManager;
  /** Per exercise id given: whose code runs. */
  readonly used: Readonly<Record<string, PartSource>>;
}

/** Runs exercise `id`'s checks on `impl` without printing; resolves with the number of failed checks (0: it passes). */
export async function failedChecks(id: string, impl: unknown): Promise<number> {
  const exercise = exerciseById(id);
  const report = await runTests(id, await exercise.tests(), impl as never, exercise.hints[0]);
  return report.passed ? 0 : Math.max(1, report.tests.filter((t) => !t.passed).length);
}

/**
 * The `ChannelMonitor`, `ChainMonitor` and `ChannelManager` classes with every function in `yours` that passes its
 * exercise's checks installed in place of the reference method; the rest stay the reference. Prints one
 * line per exercise saying whose code runs and why. Unknown keys are refused (a typo must not silently
 * fall back to the reference).
 */
export async function assembleComponents(yours: YourFunctions = {}, print = true): Promise<AssembledComponents> {
  for (const id of Object.keys(yours)) exerciseById(id);
  let Channel = ChannelMonitor;
  let Chain = ChainMonitor;
  let Manager = ChannelManager;
  const used: Record<string, PartSource> = {};
  const lines: string[] = [];
  // Registry order: when both `transactionsConfirmed` versions pass, the scaled one (later) wins.
  for (const exercise of EXERCISES.filter((e) => e.id in yours)) {
    const impl = yours[exercise.id];
    let why: string;
    used[exercise.id] = 'reference';
    if (impl === undefined) {
      why = 'the reference (none given)';
    } else {
      const failed = await failedChecks(exercise.id, impl);
      if (failed === 0) {
        if (exercise.component === 'ChannelMonitor') Channel = withMethod(Channel, exercise.functionName, impl);
        else if (exercise.component === 'ChainMonitor') Chain = withMethod(Chain, exercise.functionName, impl);
        else Manager = withMethod(Manager, exercise.functionName, impl);
        why = 'YOURS (it passes its check)';
        used[exercise.id] = 'yours';
      } else {
        why = `the reference (yours fails ${failed} check${failed === 1 ? '' : 's'}; run its check cell to see which)`;
      }
    }
    lines.push(`  ${`${exercise.component}.${exercise.functionName}`.padEnd(34)} ${why}`);
  }
  lines.push('  everything else                    the reference');
  if (print) process.stdout.write(`Whose code runs:\n${lines.join('\n')}\n`);
  return Object.freeze({ ChannelMonitor: Channel, ChainMonitor: Chain, ChannelManager: Manager, used: Object.freeze(used) });
}
