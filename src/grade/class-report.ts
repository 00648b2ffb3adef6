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
import { progressBar } from './scoreboard.js';
import { classHtml } from './class-html.js';
import { createHash } from 'node:crypto';
import { merge } from './grade.js';
import { runJobs, WorkerPool } from './pool.js';
import { readSubmissions } from './submission.js';
import { readProgress } from '../workshop/progress.js';
import type { WorkerVerdict } from './worker.js';
import { failureReason, type LearnerGrade } from './learner-grade.js';

export { failureReason, type LearnerGrade };
import { displayPath } from './submission.js';

/**
 * Grading processes at once for a class. Three on a two-core machine: a chain exercise's checks wait on the
 * regtest node much of the time, and a third process keeps both cores busy meanwhile.
 */
export const CLASS_LANES = 3;
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

/**
 * Grades every learner: one queue of jobs for the whole class, `lanes` processes at a time, each job in a
 * fresh child. A cell handed in identically by several learners (the untouched skeleton, most often) is
 * graded once — its verdict depends only on its text. `onProgress` hears after each job.
 */
export async function gradeClass(
  root: string,
  options: {
    exerciseLimitMs: number;
    lanes?: number;
    exercises?: readonly Exercise[];
    onLearner?: (grade: LearnerGrade) => void;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<LearnerGrade[]> {
  const exercises = options.exercises ?? EXERCISES;
  const learners = learnerFolders(root).map(({ learner, dir }) => {
    // A whole repository copy carries the learner's progress, and with it their give-ups.
    const progress = join(root, learner, '.lnlab', 'progress.json');
    return { learner, dir, submissions: readSubmissions(dir, exercises), progress: existsSync(progress) ? readProgress(progress) : {} };
  });
  const keyOf = (id: string, source: string) => `${id}:${createHash('sha256').update(source).digest('hex')}`;
  const unique = new Map<string, { id: string; source: string; key: string }>();
  for (const { submissions } of learners) {
    for (const s of submissions) if (s.source !== undefined) unique.set(keyOf(s.exercise.id, s.source), { id: s.exercise.id, source: s.source, key: keyOf(s.exercise.id, s.source) });
  }
  const remaining = new Map(learners.map((l) => [l.learner, new Set(l.submissions.filter((s) => s.source !== undefined).map((s) => keyOf(s.exercise.id, s.source!)))]));
  const grades: LearnerGrade[] = [];
  const finished = new Set<string>();
  const verdicts = new Map<string, WorkerVerdict>();
  const gradeOf = (l: (typeof learners)[number]): LearnerGrade => ({
    learner: l.learner,
    dir: l.dir,
    results: l.submissions.map((s) => {
      const result = merge(s.exercise, s.problems, s.source === undefined ? undefined : verdicts.get(keyOf(s.exercise.id, s.source)));
      const gaveUpAt = l.progress[s.exercise.id]?.gaveUpAt;
      return gaveUpAt ? { ...result, gaveUpAt } : result;
    }),
  });
  const announce = () => {
    for (const l of learners) {
      if (finished.has(l.learner) || remaining.get(l.learner)!.size > 0) continue;
      finished.add(l.learner);
      options.onLearner?.(gradeOf(l));
    }
  };
  announce(); // learners with nothing to grade
  let done = 0;
  const pool = new WorkerPool(options.exerciseLimitMs);
  try {
    await runJobs([...unique.values()], pool, options.lanes ?? CLASS_LANES, (key, verdict) => {
      verdicts.set(key, verdict);
      for (const keys of remaining.values()) keys.delete(key);
      options.onProgress?.(++done, unique.size);
      announce();
    });
  } finally {
    pool.close();
  }
  for (const l of learners) grades.push(gradeOf(l));
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

/**
 * The class's progress bar: redrawn in place on a terminal (learner lines print above it), and on a log
 * (CI, a file) one line per tenth of the way, so it never floods.
 */
function classProgress(started: number) {
  const tty = process.stdout.isTTY === true;
  let line = '';
  let lastTenth = -1;
  const render = (done: number, total: number) =>
    `${progressBar(done, total)} cells graded · ${Math.round((Date.now() - started) / 1000)} s${done > 0 && done < total ? ` · about ${Math.round(((Date.now() - started) / done) * (total - done) / 1000)} s left` : ''}`;
  return {
    update(done: number, total: number) {
      line = render(done, total);
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (Math.floor((done / Math.max(total, 1)) * 10) > lastTenth) {
        lastTenth = Math.floor((done / Math.max(total, 1)) * 10);
        say(line);
      }
    },
    print(text: string) {
      if (tty) process.stdout.write(`\r\x1b[2K${text}\n${line}`);
      else say(text);
    },
    end() {
      if (tty && line) process.stdout.write('\n');
    },
  };
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
  say(`Lightning Lab — grading ${count} learner${count === 1 ? '' : 's'} under ${displayPath(root)}/ (${CLASS_LANES} cells at a time)`);
  const started = Date.now();
  const bar = classProgress(started);
  const grades = await gradeClass(root, {
    exerciseLimitMs,
    onProgress: (done, total) => bar.update(done, total),
    onLearner: ({ learner, results }) => {
      const passed = results.filter((r) => r.passed).length;
      const failed = results.filter((r) => !r.passed).map((r) => r.id);
      bar.print(`${passed === results.length ? PASS_MARK : FAIL_MARK} ${learner.padEnd(24)} ${passed}/${results.length}${failed.length ? `  failing: ${failed.join(', ')}` : ''}`);
    },
  });
  bar.end();
  const csv = join(root, CSV_REPORT);
  const html = join(root, HTML_REPORT);
  writeAtomically(csv, classCsv(grades));
  writeAtomically(html, classHtml(grades, EXERCISES, { title: `Lightning Lab — ${displayPath(root)}`, generatedAt: new Date() }));
  say(`\nwrote ${displayPath(csv)} and ${displayPath(html)} (${Math.round((Date.now() - started) / 1000)} s)`);
  return 0;
}
