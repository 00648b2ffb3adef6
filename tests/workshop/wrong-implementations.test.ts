/** Each classic mistake in `tests/fixtures/wrong/` is caught, with a report that points at the mistake. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, compileCell, exerciseById, formatReport, loadTests, runTests } from '../../src/internal.js';

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
