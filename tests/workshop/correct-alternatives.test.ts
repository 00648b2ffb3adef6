/**
 * Each differently written correct answer in `tests/fixtures/correct/manifest.json` passes its exercise's
 * checks (in-process, like `wrong-implementations.test.ts`; `tests/grade/verdicts.test.ts` grades them
 * through `lnlab grade`). A check that fails one of them demands more than the prompt asks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, compileCell, exerciseById, formatReport, loadTests, runTests } from '../../src/internal.js';
import { cellTypeErrors } from '../../src/grade/typecheck.js';

const dir = join(PROJECT_ROOT, 'tests', 'fixtures', 'correct');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { exercise: string }>;

describe.each(Object.entries(manifest))('%s', (file, { exercise: id }) => {
  it(`passes ${id}`, async () => {
    const exercise = exerciseById(id);
    const impl = await compileCell(exercise, readFileSync(join(dir, file), 'utf8'));
    const report = await runTests(id, await loadTests(exercise), impl as never, exercise.hints[0]);
    expect(report.passed, formatReport(report)).toBe(true);
  });
});

describe('the correct alternatives as the notebook kernel compiles them', () => {
  it('have no TypeScript errors', () => {
    for (const [file, { exercise }] of Object.entries(manifest)) {
      expect(cellTypeErrors(exerciseById(exercise), readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
    }
  }, 180_000);
});
