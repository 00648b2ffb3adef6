/**
 * The room as the instructor sees it, built from the event log: per learner and exercise, passed,
 * failing (on which check, since when, after how many tries) or not checked yet; per exercise, the check
 * most learners are stuck on; and who joined but has not started.
 *
 * Verdicts are ordered by the learner's own time (`at`), not by arrival: a learner who was offline sends
 * an hour of verdicts at once, and a notebook and `lnlab grade` can report out of order. A learner's
 * clock may run ahead of the server's; `at` is never taken to be later than the report's arrival.
 */
import { EXERCISES, type Exercise } from './exercises.js';
import type { LogRecord, ReportRecord } from './event-log.js';

/** One cell of the grid. Times are ISO strings (server time for `since`/`at` once clamped). */
export type CellView =
  | { readonly state: 'passed'; readonly at: string }
  | { readonly state: 'failing'; readonly failingCheck: string | undefined; readonly since: string; readonly tries: number }
  | { readonly state: 'unchecked' };

export interface LearnerView {
  readonly learnerId: string;
  readonly name: string;
  readonly joinedAt: string;
  /** When the server last heard from this learner (a join or a report). */
  readonly lastSeenAt: string;
  /** Whether any verdict came in: a learner who joined and has none has not started. */
  readonly started: boolean;
  readonly passedCount: number;
  /** Reports accepted from this learner (every one counts, including superseded verdicts). */
  readonly reports: number;
  readonly cells: Readonly<Record<string, CellView>>;
}

export interface ExerciseSummary {
  readonly id: string;
  readonly notebook: string;
  readonly title: string;
  readonly passing: number;
  readonly failing: number;
  /** The check most of the currently failing learners fail on, and how many they are. */
  readonly commonFailingCheck: { readonly name: string; readonly learners: number } | undefined;
}

export interface RoomSnapshot {
  readonly generatedAt: string;
  readonly learners: readonly LearnerView[];
  readonly exercises: readonly ExerciseSummary[];
  readonly reports: number;
}

/** Names sort as people expect: "team 2" before "team 10", "ada" next to "Ada". */
const NAME_ORDER: Intl.CollatorOptions = { numeric: true, sensitivity: 'base' };

/** Shown when a failing verdict names no check (e.g. a cell that could not be graded at all). */
export const UNNAMED_CHECK = '(no check named)';

interface Verdict {
  readonly passed: boolean;
  readonly failingCheck: string | undefined;
  /** Milliseconds since the epoch, already clamped to the arrival time. */
  readonly atMs: number;
}

interface Learner {
  readonly learnerId: string;
  name: string;
  joinedAt: string;
  lastSeenMs: number;
  reports: number;
  readonly verdicts: Map<string, Verdict[]>;
}

function cellOf(verdicts: readonly Verdict[] | undefined): CellView {
  const last = verdicts?.[verdicts.length - 1];
  if (!verdicts || !last) return { state: 'unchecked' };
  if (last.passed) return { state: 'passed', at: new Date(last.atMs).toISOString() };
  // The failing streak: every verdict after the last pass.
  let first = verdicts.length - 1;
  while (first > 0 && !verdicts[first - 1]!.passed) first--;
  return {
    state: 'failing',
    failingCheck: last.failingCheck,
    since: new Date(verdicts[first]!.atMs).toISOString(),
    tries: verdicts.length - first,
  };
}

/** The room, updated record by record (`apply`), read as a `snapshot`. */
export class RoomState {
  private readonly learners = new Map<string, Learner>();
  private readonly seen = new Set<string>();
  private reportCount = 0;
  private readonly exercises: readonly Exercise[];

  constructor(exercises: readonly Exercise[] = EXERCISES) {
    this.exercises = exercises;
  }

  /** Whether this learner's report was already accepted (a re-sent report is a duplicate). */
  hasReport(learnerId: string, reportId: string): boolean {
    return this.seen.has(`${learnerId}/${reportId}`);
  }

  /** The name the room knows this learner by, or `undefined` for a learner it has not met. */
  nameOf(learnerId: string): string | undefined {
    return this.learners.get(learnerId)?.name;
  }

  get learnerCount(): number {
    return this.learners.size;
  }

  get reports(): number {
    return this.reportCount;
  }

  /** Takes one record into the room; a report already seen is ignored (the log may hold it twice). */
  apply(record: LogRecord): void {
    if (record.type === 'join') {
      const learner = this.learners.get(record.learnerId);
      const atMs = Date.parse(record.at) || 0;
      if (learner) {
        learner.name = record.name;
        learner.lastSeenMs = Math.max(learner.lastSeenMs, atMs);
      } else {
        this.learners.set(record.learnerId, { learnerId: record.learnerId, name: record.name, joinedAt: record.at, lastSeenMs: atMs, reports: 0, verdicts: new Map() });
      }
      return;
    }
    this.applyReport(record);
  }

  private applyReport(record: ReportRecord): void {
    const key = `${record.learnerId}/${record.reportId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.reportCount++;
    const receivedMs = Date.parse(record.receivedAt) || Date.now();
    let learner = this.learners.get(record.learnerId);
    if (!learner) {
      // Joined before the server's log began (or the join line was lost): known by id until named.
      learner = { learnerId: record.learnerId, name: record.learnerId, joinedAt: record.receivedAt, lastSeenMs: receivedMs, reports: 0, verdicts: new Map() };
      this.learners.set(record.learnerId, learner);
    }
    learner.reports++;
    learner.lastSeenMs = Math.max(learner.lastSeenMs, receivedMs);
    const verdict: Verdict = { passed: record.passed, failingCheck: record.failingCheck, atMs: Math.min(Date.parse(record.at), receivedMs) };
    const list = learner.verdicts.get(record.exercise) ?? [];
    // Keep each list in time order; equal times keep arrival order. Lists are short (tens), so a linear
    // insertion from the end is cheaper than sorting and usually stops at once.
    let index = list.length;
    while (index > 0 && list[index - 1]!.atMs > verdict.atMs) index--;
    list.splice(index, 0, verdict);
    learner.verdicts.set(record.exercise, list);
  }

  /** The room now: learners by name, exercises in registry order. */
  snapshot(now: Date = new Date()): RoomSnapshot {
    const learners = [...this.learners.values()]
      .sort((a, b) => a.name.localeCompare(b.name, undefined, NAME_ORDER) || a.learnerId.localeCompare(b.learnerId))
      .map((learner): LearnerView => {
        const cells: Record<string, CellView> = {};
        for (const exercise of this.exercises) cells[exercise.id] = cellOf(learner.verdicts.get(exercise.id));
        return {
          learnerId: learner.learnerId,
          name: learner.name,
          joinedAt: learner.joinedAt,
          lastSeenAt: new Date(learner.lastSeenMs).toISOString(),
          started: learner.reports > 0,
          passedCount: Object.values(cells).filter((cell) => cell.state === 'passed').length,
          reports: learner.reports,
          cells,
        };
      });
    const exercises = this.exercises.map((exercise): ExerciseSummary => {
      const counts = new Map<string, number>();
      let passing = 0;
      let failing = 0;
      for (const learner of learners) {
        const cell = learner.cells[exercise.id]!;
        if (cell.state === 'passed') passing++;
        if (cell.state !== 'failing') continue;
        failing++;
        const name = cell.failingCheck ?? UNNAMED_CHECK;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      // Most learners first; a tie goes to the name that sorts first, so the page does not flicker.
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      return {
        id: exercise.id,
        notebook: exercise.notebook,
        title: exercise.title,
        passing,
        failing,
        commonFailingCheck: top ? { name: top[0], learners: top[1] } : undefined,
      };
    });
    return { generatedAt: now.toISOString(), learners, exercises, reports: this.reportCount };
  }
}
