/**
 * `lnlab grade` and `lnlab reset`: argument parsing and what they print. The work is in the modules
 * next to this one; `src/cli/main.ts` only dispatches here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkshopError } from '../errors.js';
import { say } from '../cli/output.js';
import { UsageError } from '../cli/usage.js';
import { gradeClassCommand } from './class-report.js';
import { gradeNotebooks } from './grade.js';
import { recordGrades } from './history.js';
import { resetExercise } from './reset.js';
import { formatScoreboard, jsonLine } from './scoreboard.js';
import { resolveSelection } from './selection.js';
import { displayPath } from './submission.js';
import { watchNotebooks } from './watch.js';
import { progressFile } from '../workshop/progress.js';
import { roomVerdictsFromResults } from '../room/from-grade.js';
import { flushReports, reportVerdicts } from '../room/reporter.js';
import { DEFAULT_EXERCISE_LIMIT_MS, killAllWorkers } from './worker.js';

export const GRADE_USAGE = `Grading:
  lnlab grade [notebook|exercise] [--dir DIR] [--json] [--timeout S]
      grade your notebooks (default: notebooks/): ✅/❌ per exercise, the first failing check with
      expected and actual, a hint, and what to do next. Exit code 0 only if everything graded passes.
      --json prints one JSON object per exercise per line.
  lnlab grade --watch [notebook|exercise] [--dir DIR]
      grade, then re-grade a notebook's exercises each time it is saved (Ctrl-C stops)
  lnlab grade --class DIR [--timeout S]
      grade every learner folder under DIR (each a copy of notebooks/); writes DIR/grade-report.csv
      and DIR/grade-report.html
  lnlab reset <exercise> [--dir DIR]
      put an exercise cell (and its check cell) back to the skeleton; your version is backed up first
  --timeout S   time limit for loading a cell and for each of its tests, in seconds (default ${DEFAULT_EXERCISE_LIMIT_MS / 1000})`;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`lnlab: ${(err as Error).message}`, GRADE_USAGE);
  }
}

/** Ctrl-C while grading: the grading processes live in their own process groups, so stop them first. */
function stopWorkersOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllWorkers();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function limitFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_EXERCISE_LIMIT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`lnlab grade: --timeout expects seconds (a positive number), got "${text}"`, GRADE_USAGE);
  return Math.round(seconds * 1000);
}

/** The progress file of the learner whose notebooks are in `dir`: theirs, or a repository copy's. */
function learnerProgressFile(dir: string, isDefaultDir: boolean): string | undefined {
  if (isDefaultDir) return progressFile();
  const copy = join(dir, '..', '.lnlab', 'progress.json');
  return existsSync(copy) ? copy : undefined;
}

export async function gradeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    dir: { type: 'string' },
    json: { type: 'boolean' },
    watch: { type: 'boolean' },
    class: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    say(GRADE_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`lnlab grade: one notebook or exercise at a time, got ${positionals.join(' ')}`, GRADE_USAGE);
  const exerciseLimitMs = limitFrom(values.timeout as string | undefined);
  const json = values.json === true;
  if (!values.watch) stopWorkersOnSignals(); // --watch stops on Ctrl-C by itself
  if (values.class !== undefined) {
    if (positionals.length > 0 || values.watch) throw new UsageError('lnlab grade --class DIR grades whole folders; it takes no notebook and no --watch', GRADE_USAGE);
    return gradeClassCommand(values.class as string, exerciseLimitMs);
  }
  const selection = resolveSelection(positionals[0], values.dir as string | undefined, GRADE_USAGE);
  if (!existsSync(selection.dir)) {
    throw new WorkshopError('NOTEBOOK_DIR_MISSING', `lnlab grade: no folder ${displayPath(selection.dir)}`, 'give the folder that holds your .ipynb files with --dir DIR');
  }
  if (values.watch) return watchNotebooks(selection, { exerciseLimitMs, json });
  const title = `Lightning Lab — grading ${displayPath(selection.dir)}/ (${selection.exercises.length} exercise${selection.exercises.length === 1 ? '' : 's'})`;
  const results = await gradeNotebooks(selection.dir, selection.exercises, { exerciseLimitMs, progressFile: learnerProgressFile(selection.dir, selection.isDefaultDir) });
  const changes = recordGrades(selection.dir, results, selection.isDefaultDir);
  if (json) for (const result of results) say(jsonLine(result));
  else say(formatScoreboard(title, results, changes));
  // The learner's own notebooks go to the instructor's class view, if they joined one.
  if (selection.isDefaultDir) {
    reportVerdicts(roomVerdictsFromResults(results));
    await flushReports();
  }
  return results.every((r) => r.passed) ? 0 : 1;
}

export async function resetCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    say(GRADE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('lnlab reset: name one exercise, e.g. `lnlab reset watchChannel`', GRADE_USAGE);
  const outcome = resetExercise(positionals[0]!, values.dir as string | undefined);
  for (const line of outcome.lines) say(line);
  return 0;
}
