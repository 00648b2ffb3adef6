/**
 * The README's notebook table gives each notebook's core and deep-dive time; they are the registry's
 * `minutes` added up, and the whole stays within issue 13's promise: the core path under two hours, the
 * deep dives at most ninety minutes more.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXERCISES, PROJECT_ROOT } from '../../src/internal.js';

const CORE_LIMIT_MINUTES = 120;
const DEEP_LIMIT_MINUTES = 90;

const minutes = (track: string, notebook?: string) =>
  EXERCISES.filter((e) => e.track === track && (notebook === undefined || e.notebook === notebook)).reduce((sum, e) => sum + e.minutes, 0);
const cell = (total: number) => (total === 0 ? '—' : `${total} min`);

describe("the README's notebook times", () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('each notebook row gives the registry total of its core exercises and its deep dives', () => {
    for (const notebook of new Set(EXERCISES.map((e) => e.notebook))) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${notebook}\` |`));
      expect(row, `README has no row for ${notebook}`).toBeDefined();
      expect(row!.split('|').slice(-3, -1).map((c) => c.trim()), notebook).toEqual([cell(minutes('core', notebook)), cell(minutes('deep-dive', notebook))]);
    }
  });

  it('the total row adds them up, within the promised limits', () => {
    const core = minutes('core');
    const deep = minutes('deep-dive');
    expect(readme).toContain(`| **${core} min** | **${deep} min** |`);
    expect(core).toBeLessThan(CORE_LIMIT_MINUTES);
    expect(deep).toBeLessThanOrEqual(DEEP_LIMIT_MINUTES);
  });
});
