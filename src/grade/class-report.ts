/**
 * `lnlab grade --class DIR`: the instructor's view. Every folder under DIR is one learner (a copy of
 * `notebooks/`, or a folder holding one); each is graded in fresh processes, two learners at a time, and
 * a bad submission — corrupt notebooks, missing files, an endless loop — only ever fails its own
 * exercises. The result is `DIR/grade-report.csv` and a self-contained `DIR/grade-report.html`.
 */
import { existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkshopError } from '../errors.js';
import { FAIL_MARK, PASS_MARK } from '../curriculum/check/runner.js';
import { EXERCISES, type Exercise } from '../curriculum/registry.js';
import { say } from '../cli/output.js';
import { classHtml } from './class-html.js';
import { gradeNotebooks } from './grade.js';
import { failureReason, type LearnerGrade } from './learner-grade.js';

export { failureReason, type LearnerGrade };
import { displayPath } from './submission.js';

/** Learners graded at once; each uses one process, so this is the number of cores the grading takes. */
export const CLASS_PARALLELISM = 2;
export const CSV_REPORT = 'grade-report.csv';
export const HTML_REPORT = 'grade-report.html';

/** The learner folders under `root`, by name; a learner's `notebooks/` subfolder is used when present. */
export function learnerFolders(root: string): Array<{ learner: string; dir: string }> {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((learner) => {
      const nested = join(root, learner, 'notebooks');
      return { learner, dir: existsSync(nested) && statSync(nested).isDirectory() ? nested : join(root, learner) };
    });
}

/** Grades every learner, `parallelism` at a time; `onLearner` hears about each as it finishes. */
export async function gradeClass(
  root: string,
  options: { exerciseLimitMs: number; parallelism?: number; exercises?: readonly Exercise[]; onLearner?: (grade: LearnerGrade) => void },
): Promise<LearnerGrade[]> {
  const folders = learnerFolders(root);
  const grades: LearnerGrade[] = new Array(folders.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < folders.length; i = next++) {
      const { learner, dir } = folders[i]!;
      // A whole repository copy carries the learner's progress, and with it their give-ups.
      const progress = join(root, learner, '.lnlab', 'progress.json');
      const results = await gradeNotebooks(dir, options.exercises ?? EXERCISES, {
        exerciseLimitMs: options.exerciseLimitMs,
        lanes: 1,
        progressFile: existsSync(progress) ? progress : undefined,
      });
      grades[i] = { learner, dir, results };
      options.onLearner?.(grades[i]!);
    }
  };
  await Promise.all(Array.from({ length: options.parallelism ?? CLASS_PARALLELISM }, lane));
  return grades;
}

/** A CSV field: quoted when needed; a leading =, +, - or @ is defused so a spreadsheet shows it as text. */
function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function classCsv(grades: readonly LearnerGrade[], exercises: readonly Exercise[] = EXERCISES): string {
  const header = ['learner', 'passed', 'total', ...exercises.map((e) => e.id), 'problems'];
  const rows = grades.map((g) => {
    const byId = new Map(g.results.map((r) => [r.id, r]));
    const cells = exercises.map((e) => `${byId.get(e.id)?.passed ? 'pass' : 'fail'}${byId.get(e.id)?.gaveUpAt ? ' (gave up)' : ''}`);
    const problems = g.results.filter((r) => !r.passed).map((r) => `${r.id}: ${failureReason(r)}`).join(' | ');
    return [g.learner, g.results.filter((r) => r.passed).length, exercises.length, ...cells, problems];
  });
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

export async function gradeClassCommand(rootOption: string, exerciseLimitMs: number): Promise<number> {
  const root = resolve(rootOption);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new WorkshopError('CLASS_DIR_MISSING', `lnlab grade --class: ${displayPath(root)} is not a folder`, 'give the folder that holds one folder per learner');
  }
  const count = learnerFolders(root).length;
  if (count === 0) {
    throw new WorkshopError('CLASS_DIR_EMPTY', `lnlab grade --class: no learner folders under ${displayPath(root)}`, 'put each learner\'s notebooks/ folder in its own sub-folder, named after the learner');
  }
  say(`Lightning Lab — grading ${count} learner${count === 1 ? '' : 's'} under ${displayPath(root)}/ (${CLASS_PARALLELISM} at a time)`);
  const started = Date.now();
  const grades = await gradeClass(root, {
    exerciseLimitMs,
    onLearner: ({ learner, results }) => {
      const passed = results.filter((r) => r.passed).length;
      const failed = results.filter((r) => !r.passed).map((r) => r.id);
      say(`${passed === results.length ? PASS_MARK : FAIL_MARK} ${learner.padEnd(24)} ${passed}/${results.length}${failed.length ? `  failing: ${failed.join(', ')}` : ''}`);
    },
  });
  const csv = join(root, CSV_REPORT);
  const html = join(root, HTML_REPORT);
  writeAtomically(csv, classCsv(grades));
  writeAtomically(html, classHtml(grades, EXERCISES, { title: `Lightning Lab — ${displayPath(root)}`, generatedAt: new Date() }));
  say(`\nwrote ${displayPath(csv)} and ${displayPath(html)} (${Math.round((Date.now() - started) / 1000)} s)`);
  return 0;
}
