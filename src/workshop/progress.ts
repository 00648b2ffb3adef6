/**
 * What the learner has passed, kept in `<LNLAB_HOME>/progress.json` so a notebook can show a solution
 * only after its exercise passed, and `lnlab grade` can say what changed since the last run.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lnlabHome } from '../util/paths.js';

export interface ExerciseProgress {
  readonly passed: boolean;
  /** ISO time of the last check. */
  readonly checkedAt: string;
  /** ISO time the learner gave up and saw the solution (`giveUp`); reported by `lnlab grade`. */
  readonly gaveUpAt?: string;
}

export type Progress = Record<string, ExerciseProgress>;

export function progressFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(lnlabHome(env), 'progress.json');
}

export function readProgress(file = progressFile()): Progress {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Progress) : {};
  } catch {
    return {};
  }
}

function writeProgress(progress: Progress, file: string): Progress {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temp, file);
  return progress;
}

/** Records one result; written atomically (temp file + rename) so a crash never leaves half a file. A give-up stays on record. */
export function recordProgress(id: string, passed: boolean, file = progressFile()): Progress {
  const before = readProgress(file);
  const gaveUp = before[id]?.gaveUpAt;
  return writeProgress({ ...before, [id]: { passed, checkedAt: new Date().toISOString(), ...(gaveUp ? { gaveUpAt: gaveUp } : {}) } }, file);
}

/** Records that the learner gave up on `id` and saw its solution (kept for good: the grader reports it). */
export function recordGiveUp(id: string, file = progressFile()): Progress {
  const before = readProgress(file);
  const entry = before[id] ?? { passed: false, checkedAt: new Date().toISOString() };
  return writeProgress({ ...before, [id]: { ...entry, gaveUpAt: entry.gaveUpAt ?? new Date().toISOString() } }, file);
}
