/**
 * What `lnlab grade` remembers between runs, in `<LNLAB_HOME>/grade-history.json`: per graded folder and
 * exercise, the last verdict and how many runs in a row it failed. From it the scoreboard says what
 * changed ("newly passing: …") and which hint comes next (the second after a repeated failure).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { progressFile, recordProgress } from '../workshop/progress.js';
import type { ExerciseResult } from './grade.js';

/** Bump when the file's shape changes; an unknown version is read as empty history. */
const HISTORY_FORMAT_VERSION = 1;

export interface HistoryEntry {
  readonly passed: boolean;
  /** Consecutive failed runs up to and including this one (0 when it passed). */
  readonly failedRuns: number;
  readonly gradedAt: string;
}

type FolderHistory = Record<string, HistoryEntry>;

interface HistoryFile {
  readonly formatVersion: number;
  readonly folders: Record<string, FolderHistory>;
}

/** What changed since the previous run on the same folder. */
export interface GradeChanges {
  readonly newlyPassing: readonly string[];
  readonly newlyFailing: readonly string[];
  /** The entries as they were before this run (for hint levels). */
  readonly before: Readonly<FolderHistory>;
}

export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(progressFile(env)), 'grade-history.json');
}

function readHistory(file: string): HistoryFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as HistoryFile;
    if (parsed?.formatVersion === HISTORY_FORMAT_VERSION && parsed.folders && typeof parsed.folders === 'object') return parsed;
  } catch {
    // no history yet, or an unreadable one: start afresh
  }
  return { formatVersion: HISTORY_FORMAT_VERSION, folders: {} };
}

/** The history of `dir` as it stands (without recording anything). */
export function folderHistory(dir: string, file = historyFile()): Readonly<FolderHistory> {
  return readHistory(file).folders[resolve(dir)] ?? {};
}

/**
 * Records `results` for `dir` and returns what changed. Written atomically (temp file + rename). When
 * `alsoProgress` is set (the learner's own notebooks), each verdict also goes to `progress.json`, where
 * the notebooks' `solution(id)` looks before it reveals a solution.
 */
export function recordGrades(dir: string, results: readonly ExerciseResult[], alsoProgress: boolean, file = historyFile()): GradeChanges {
  const history = readHistory(file);
  const key = resolve(dir);
  const before = history.folders[key] ?? {};
  const after: FolderHistory = { ...before };
  const gradedAt = new Date().toISOString();
  const newlyPassing: string[] = [];
  const newlyFailing: string[] = [];
  for (const result of results) {
    const previous = before[result.id];
    if (previous && !previous.passed && result.passed) newlyPassing.push(result.id);
    if (previous?.passed && !result.passed) newlyFailing.push(result.id);
    after[result.id] = { passed: result.passed, failedRuns: result.passed ? 0 : (previous?.failedRuns ?? 0) + 1, gradedAt };
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ ...history, folders: { ...history.folders, [key]: after } }, null, 2)}\n`);
    renameSync(temp, file);
    if (alsoProgress) for (const result of results) recordProgress(result.id, result.passed);
  } catch {
    // A read-only workspace still gets its grades; only the "what changed" memory is lost.
  }
  return { newlyPassing, newlyFailing, before };
}
