/**
 * The class report as one self-contained HTML page (inline style, no scripts, nothing fetched): a
 * learners × exercises table of ✅/❌, the most common failing test per exercise, and each learner's
 * failures with their reasons. Every learner-supplied string (folder names, messages) is escaped.
 */
import { FAIL_MARK, PASS_MARK } from '../curriculum/check/runner.js';
import type { Exercise } from '../curriculum/registry.js';
import { failureReason, type LearnerGrade } from './learner-grade.js';

function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Per exercise: how many learners fail it, and the reason most of them fail it for. */
export function commonFailures(grades: readonly LearnerGrade[], exercises: readonly Exercise[]) {
  return exercises.map((exercise) => {
    const counts = new Map<string, number>();
    let failing = 0;
    for (const grade of grades) {
      const result = grade.results.find((r) => r.id === exercise.id);
      if (!result || result.passed) continue;
      failing++;
      const reason = failureReason(result);
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const [reason, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    return { exercise, failing, reason, count };
  });
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.mark { text-align: center; font-size: 1.1rem; } .muted { color: #666; font-size: .85rem; }
tr.total td { background: #fafafa; font-weight: 600; } code { font-size: .85rem; }`;

export function classHtml(grades: readonly LearnerGrade[], exercises: readonly Exercise[], meta: { title: string; generatedAt: Date }): string {
  const head = exercises.map((e) => `<th>${escapeHtml(e.id)}<br><span class="muted">${escapeHtml(e.notebook)}</span></th>`).join('');
  const rows = grades.map((grade) => {
    const passed = grade.results.filter((r) => r.passed).length;
    const marks = exercises.map((exercise) => {
      const result = grade.results.find((r) => r.id === exercise.id);
      const flag = result?.gaveUpAt ? ' 🏳️' : '';
      const gaveUp = result?.gaveUpAt ? ' — gave up and saw the solution' : '';
      if (result?.passed) return `<td class="mark" title="passed${gaveUp}">${PASS_MARK}${flag}</td>`;
      return `<td class="mark" title="${escapeHtml(result ? failureReason(result) : 'not graded')}${gaveUp}">${FAIL_MARK}${flag}</td>`;
    });
    return `<tr><th>${escapeHtml(grade.learner)}</th><td>${passed}/${exercises.length}</td>${marks.join('')}</tr>`;
  });
  const totals = exercises.map((e) => `<td class="mark">${grades.filter((g) => g.results.find((r) => r.id === e.id)?.passed).length}/${grades.length}</td>`);
  const common = commonFailures(grades, exercises).map(({ exercise, failing, reason, count }) =>
    `<tr><th>${escapeHtml(exercise.id)}</th><td>${failing}/${grades.length}</td><td>${failing === 0 ? '—' : `${escapeHtml(reason)} <span class="muted">(${count} learner${count === 1 ? '' : 's'})</span>`}</td></tr>`);
  const details = grades.flatMap((grade) => {
    const failed = grade.results.filter((r) => !r.passed);
    if (failed.length === 0) return [];
    const items = failed.map((r) => {
      const failing = r.tests.find((t) => !t.passed);
      const message = failing?.message && failing.message !== failureReason(r) ? `: ${failing.message}` : '';
      const problems = r.problems.filter((p) => p !== failureReason(r)).map((p) => `<br><span class="muted">⚠️ ${escapeHtml(p)}</span>`).join('');
      return `<li><code>${escapeHtml(r.id)}</code> — ${escapeHtml(failureReason(r))}${escapeHtml(message)}${problems}</li>`;
    });
    return [`<h3>${escapeHtml(grade.learner)}</h3><ul>${items.join('')}</ul>`];
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="muted">${grades.length} learners · ${exercises.length} exercises · generated ${escapeHtml(meta.generatedAt.toISOString())} by <code>lnlab grade --class</code></p>
<table>
<tr><th>learner</th><th>passed</th>${head}</tr>
${rows.join('\n')}
<tr class="total"><td>passing</td><td></td>${totals.join('')}</tr>
</table>
<h2>Most common failing test per exercise</h2>
<table>
<tr><th>exercise</th><th>failing</th><th>most common failure</th></tr>
${common.join('\n')}
</table>
<h2>Failures by learner</h2>
${details.length > 0 ? details.join('\n') : '<p>None: every learner passes every exercise.</p>'}
</body></html>
`;
}
