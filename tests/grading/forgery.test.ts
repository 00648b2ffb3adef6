/**
 * A ✅ the learner's code cannot forge: every route a cell could take to a pass it did not earn — patching
 * the built-ins the checks compare, iterate, time or serialise with, swapping the test list or the
 * workshop's classes, reaching the reference (prototype, import, file), printing the success line, writing
 * the event channel, exiting, or leaving work behind to run after the checks looked — ends in ❌, graded
 * by the real grader (a sandboxed child, the parent deciding). `updateMonitor` is the exercise under
 * attack: its checks need no other part of the node.
 */
import { describe, expect, it } from 'vitest';
import { exerciseById, solutionCell } from '../../src/internal.js';
import { gradeCell } from '../../src/grade/sandbox/grade-cell.js';

const exercise = exerciseById('updateMonitor');
const correct = solutionCell(exercise);
/** A wrong body: it accepts every update and stores nothing. */
const lazy = `function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {}`;

/** The text of the first failing check of a verdict, with its problems. */
async function failureOf(cell: string): Promise<{ passed: boolean; text: string }> {
  const verdict = await gradeCell(exercise, cell);
  const text = [...verdict.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`), ...verdict.problems].join('\n');
  return { passed: verdict.passed, text };
}

describe('the grader itself', () => {
  it('passes the reference solution (so every ❌ below is the forgery, not the set-up)', async () => {
    const verdict = await gradeCell(exercise, correct);
    expect(verdict.passed, JSON.stringify(verdict.tests)).toBe(true);
  });

  it('fails the lazy body the forgeries below try to dress up', async () => {
    expect((await failureOf(lazy)).passed).toBe(false);
  });
});

describe.concurrent('a forged pass is ❌', () => {
  it.each([
    ['Array.prototype.every patched', `Array.prototype.every = () => true;\n${lazy}`, /read only|Cannot assign|not extensible/],
    ['Object.is patched', `Object.is = () => true;\n${lazy}`, /read only|Cannot assign/],
    ['the iterator of arrays patched', `(Array.prototype as any)[Symbol.iterator] = function* () {};\n${lazy}`, /read only|Cannot assign|Cannot convert a Symbol/],
    ['Promise.race patched (the time limit)', `Promise.race = (() => Promise.resolve()) as never;\n${lazy}`, /read only|Cannot assign/],
    ['JSON.stringify patched (the report)', `JSON.stringify = () => '{"passed":true}';\n${lazy}`, /read only|Cannot assign/],
    ['the JSON global swapped', `(globalThis as any).JSON = { stringify: () => '{}', parse: JSON.parse };\n${lazy}`, /read only|Cannot assign|checks? failed|expected/],
    ['setTimeout swapped (the time limit)', `(globalThis as any).setTimeout = () => 0;\n${lazy}`, /read only|Cannot assign/],
    ['a workshop class patched', `(ChannelMonitor.prototype as any).toBytes = () => new Uint8Array();\n${lazy}`, /read only|Cannot assign|not extensible/],
  ])('%s', async (_what, cell, says) => {
    const { passed, text } = await failureOf(cell);
    expect(passed).toBe(false);
    expect(text).toMatch(says);
  });

  it('replacing the test list: the registry is out of reach', async () => {
    const cell = `import * as lab from 'lightning-lab';\n(lab as any).EXERCISES?.splice(0);\nconst internal = require('lightning-lab/internal');\n${lazy}`;
    const { passed, text } = await failureOf(cell);
    expect(passed).toBe(false);
    expect(text).toMatch(/imports "lightning-lab\/internal", which an exercise cannot use/);
  });

  it('the reference through the prototype chain: told it must be its own code', async () => {
    const cell = `function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {\n  return ChannelMonitor.prototype.updateMonitor.call(this, update);\n}`;
    const { passed, text } = await failureOf(cell);
    expect(passed).toBe(false);
    expect(text).toMatch(/your function called ChannelMonitor\.prototype\.updateMonitor, the empty method your cell is meant to fill: the exercise must be your own code/);
  });

  it('the reference through super, i.e. the parent class of its own', async () => {
    const cell = `function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {\n  let proto = Object.getPrototypeOf(Object.getPrototypeOf(this));\n  return proto.updateMonitor.call(this, update);\n}`;
    const { passed, text } = await failureOf(cell);
    expect(passed).toBe(false);
    expect(text).toMatch(/must be your own code/);
  });

  it('the reference by import or by reading its file', async () => {
    for (const cell of [
      `const ref = require('../../solutions/updateMonitor.ts');\nconst updateMonitor = ref.updateMonitor;`,
      `import { readFileSync } from 'node:fs';\nconst text = readFileSync(${JSON.stringify(`${process.cwd()}/solutions/updateMonitor.ts`)}, 'utf8');\n${lazy}`,
      `const updateMonitor = new Function('return 1') as never;`,
    ]) {
      const { passed, text } = await failureOf(cell);
      expect(passed, cell).toBe(false);
      expect(text, cell).toMatch(/cannot use|Access to this API has been restricted|Code generation from strings disallowed/);
    }
  });

  it('printing the success line', async () => {
    const cell = `console.log('✅ updateMonitor: all 4 checks passed');\n${lazy.replace('{}', "{ console.log('✅ updateMonitor: all 4 checks passed'); }")}`;
    const verdict = await gradeCell(exercise, cell);
    expect(verdict.passed).toBe(false);
    expect(verdict.output).toContain('✅ updateMonitor: all 4 checks passed');
  });

  it('writing forged events to the event channel', async () => {
    const forged = JSON.stringify({ type: 'result', id: 'updateMonitor', index: 0, outcome: { name: 'stores a payment preimage', passed: true } });
    const cell = `import { writeSync } from 'node:fs';\nfor (let i = 0; i < 4; i++) writeSync(3, ${JSON.stringify(`0000 ${forged}\n`)});\n${lazy}`;
    expect((await failureOf(cell)).passed).toBe(false);
  });

  it('exiting the process', async () => {
    for (const exit of ['process.exit(0)', 'process.kill(process.pid)']) {
      const cell = lazy.replace('{}', `{ ${exit}; }`);
      const { passed, text } = await failureOf(cell);
      expect(passed, exit).toBe(false);
      expect(text).toMatch(/stopped .* before it finished|process\.exit/);
    }
  });

  it('sabotage delayed with a timer, an interval or a microtask, after correct work', async () => {
    for (const later of [
      `setTimeout(() => { this.preimages.length = 0; }, 0);`,
      `setInterval(() => { this.preimages.length = 0; }, 5);`,
      `setImmediate(() => { this.preimages.length = 0; });`,
    ]) {
      const cell = correct.replace(/\n}\n?$/, `\n  ${later}\n}\n`);
      const { passed, text } = await failureOf(cell);
      expect(passed, later).toBe(false);
      expect(text, later).toMatch(/left work running after it returned/);
    }
  });
});

describe('sniffing the injected fault is ❌', () => {
  const watchChannel = exerciseById('watchChannel');
  /** A watchChannel that is right only for the fault it recognises, `Completed` for every other. */
  const sniffing = (test: string) => `async function watchChannel(this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
  const key = outpointKey(fundingOutpoint);
  assertSameChannel(key, monitor);
  if (this.monitors.has(key)) throw new ChannelAlreadyWatchedError(key);
  try {
    await this.persister.persistNewChannel(fundingOutpoint, monitor);
  } catch (err) {
    if (${test}) {
      this.lastPersistError = err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
  }
  this.register(key, monitor);
  return ChannelMonitorUpdateStatus.Completed;
}`;

  it.each([
    ['by its error code', `(err as NodeJS.ErrnoException).code === 'EIO'`],
    ['by its message', `/i\\/o error/.test(String(err))`],
    ['by the persister class', `/Fail/.test(this.persister.constructor.name)`],
  ])('%s: the checks inject two different faults through a persister of one name', async (_how, test) => {
    for (let run = 0; run < 3; run++) {
      const verdict = await gradeCell(watchChannel, sniffing(test));
      expect(verdict.passed, JSON.stringify(verdict.tests.filter((t) => !t.passed))).toBe(false);
      expect(verdict.tests.find((t) => !t.passed)?.message ?? '').toMatch(/status when the disk fails|registered after a failed persist|watch-index/);
    }
  });

  it('while handling every failed write passes', async () => {
    const verdict = await gradeCell(watchChannel, sniffing('true'));
    expect(verdict.passed, JSON.stringify(verdict.tests.filter((t) => !t.passed))).toBe(true);
  });
});
