/** Each classic mistake in `tests/fixtures/wrong/` is caught, with a report that points at the mistake. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, compileCell, exerciseById, formatReport, loadTests, runTests } from '../../src/internal.js';
import { cellTypeErrors } from '../../src/grade/typecheck.js';

const dir = join(PROJECT_ROOT, 'tests', 'fixtures', 'wrong');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { exercise: string; mustSay: string }>;

describe.each(Object.entries(manifest))('%s', (file, { exercise: id, mustSay }) => {
  it(`fails ${id} and says "${mustSay}"`, async () => {
    const exercise = exerciseById(id);
    const impl = await compileCell(exercise, readFileSync(join(dir, file), 'utf8'));
    const report = await runTests(id, await loadTests(exercise), impl as never, exercise.hints[0]);
    const text = formatReport(report);
    expect(report.passed, text).toBe(false);
    expect(text).toContain(mustSay);
  });
});

describe('the wrong implementations as the notebook kernel compiles them', () => {
  it('have no TypeScript errors: each is a mistake of logic, not of typing', () => {
    for (const [file, { exercise }] of Object.entries(manifest)) {
      expect(cellTypeErrors(exerciseById(exercise), readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
    }
  }, 180_000);
});
