/**
 * `lnlab grade --watch`: grades once, then re-grades a notebook's exercises each time the notebook is
 * saved. Saves are noticed with `fs.watch` on the folder (editors and Jupyter save by writing a temporary
 * file and renaming it, which a watch on the file itself would lose) and debounced; a save that leaves
 * the file's bytes unchanged is ignored. Grading processes are started ahead of time, so the verdict
 * after a save costs the tests, not a process start. Ctrl-C (SIGINT) stops.
 */
import { createHash } from 'node:crypto';
import { watch, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complain, FAIL, say } from '../cli/output.js';
import type { Exercise } from '../curriculum/registry.js';
import { DEFAULT_LANES, gradeNotebooks, type ExerciseResult } from './grade.js';
import { recordGrades } from './history.js';
import { WorkerPool } from './pool.js';
import { exerciseLines, formatScoreboard, jsonLine, summaryLines } from './scoreboard.js';
import type { Selection } from './selection.js';
import { displayPath } from './submission.js';
import { killAllWorkers } from './worker.js';
import { roomVerdictsFromResults } from '../room/from-grade.js';
import { reportVerdicts } from '../room/reporter.js';

/** Saves closer together than this are one save (Jupyter writes, then renames, then writes a checkpoint). */
const DEBOUNCE_MS = 250;

function fileHash(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

export interface WatchOptions {
  readonly exerciseLimitMs: number;
  readonly json: boolean;
}

export async function watchNotebooks(selection: Selection, options: WatchOptions): Promise<number> {
  const { dir, exercises } = selection;
  const pool = new WorkerPool(options.exerciseLimitMs);
  const results = new Map<string, ExerciseResult>();
  const gradedHash = new Map<string, string>();
  const byNotebook = new Map<string, Exercise[]>();
  for (const exercise of exercises) byNotebook.set(exercise.notebook, [...(byNotebook.get(exercise.notebook) ?? []), exercise]);
  const warm = Math.min(DEFAULT_LANES, Math.max(...[...byNotebook.values()].map((list) => list.length)));
  let stopped = false;

  const grade = async (list: readonly Exercise[], heading: string) => {
    for (const notebook of new Set(list.map((e) => e.notebook))) gradedHash.set(notebook, fileHash(join(dir, `${notebook}.ipynb`)));
    const fresh = await gradeNotebooks(dir, list, { exerciseLimitMs: options.exerciseLimitMs, pool });
    if (stopped) return;
    pool.prewarm(warm);
    const changes = recordGrades(dir, fresh, selection.isDefaultDir);
    if (selection.isDefaultDir) reportVerdicts(roomVerdictsFromResults(fresh)); // the class view, if joined
    for (const result of fresh) results.set(result.id, result);
    const all = exercises.flatMap((e) => results.get(e.id) ?? []);
    if (options.json) {
      for (const result of fresh) say(jsonLine(result));
    } else if (heading === '') {
      say(formatScoreboard(`Lightning Lab — grading ${displayPath(dir)}/ (watching)`, fresh, changes));
    } else {
      say(['', heading, ...fresh.flatMap((r) => exerciseLines(r, changes)), ...summaryLines(all, changes)].join('\n'));
    }
  };

  const timers = new Map<string, NodeJS.Timeout>();
  let stop = () => {};
  const stoppedByUser = new Promise<void>((resolve) => {
    stop = () => {
      stopped = true;
      watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      pool.close();
      killAllWorkers();
      resolve();
    };
  });

  // One grading at a time; saves during a grading queue one more. A grading that fails unexpectedly is
  // reported and the watch goes on.
  let running: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    running = running.then(work).catch((err: unknown) => complain(`${FAIL} grading failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  // Watching starts before the first grading, so a save made meanwhile is graded right after it.
  const watcher = watch(dir, (_event, filename) => {
    const name = filename?.toString().replace(/\.ipynb$/, '');
    if (!name || !filename?.toString().endsWith('.ipynb') || !byNotebook.has(name)) return;
    clearTimeout(timers.get(name));
    timers.set(name, setTimeout(() => {
      timers.delete(name);
      enqueue(async () => {
        if (stopped || fileHash(join(dir, `${name}.ipynb`)) === gradedHash.get(name)) return;
        await grade(byNotebook.get(name)!, `— ${new Date().toLocaleTimeString()} ${name}.ipynb saved: re-grading —`);
      });
    }, DEBOUNCE_MS));
  });
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
  enqueue(async () => {
    await grade(exercises, '');
    if (!stopped && !options.json) say(`\n👀 watching ${displayPath(dir)}/ — save a notebook to re-grade it (Ctrl-C stops)`);
  });

  await stoppedByUser;
  if (!options.json) say('\nstopped watching');
  return 0;
}
