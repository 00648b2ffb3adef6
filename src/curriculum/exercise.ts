/**
 * What one ⚡️ exercise is, as the registry records it. Every other artefact is derived from an entry and
 * two files named after its id — the reference `solutions/<id>.ts` and the checks
 * `src/curriculum/checks/<id>.ts` — so adding an exercise is: this entry, those two files, and one
 * `<!-- exercise: <id> -->` line in a notebook source (rustlings' `info.toml`, one registry for everything).
 */
import type { NodeComponent } from '../node/assemble.js';

/** Format of the registry entries; bump when an entry's shape changes (the grader and builder read it). */
export const REGISTRY_FORMAT_VERSION = 2;

/** The core path is the workshop; a deep dive goes under the hood of something the core path uses. */
export type ExerciseTrack = 'core' | 'deep-dive';

export interface Exercise {
  /** Unique id: the name of its check (`check('<id>', …)`), its solution file and its checks file. */
  readonly id: string;
  /** The function the learner's cell defines: the name of the method it fills in. */
  readonly functionName: string;
  /** The class whose method the function fills in. */
  readonly component: NodeComponent;
  /** Notebook file name without `.ipynb`. */
  readonly notebook: string;
  /** Sentence-case title, shown after "Exercise N:". */
  readonly title: string;
  readonly track: ExerciseTrack;
  /** About how long a learner new to it takes, in minutes (the README's table adds them up). */
  readonly minutes: number;
  /** What to read first: spec or LDK sections, as Markdown. */
  readonly reading: string;
  /** The task, as Markdown: what to write and the rules it must follow. Written into the notebook. */
  readonly prompt: string;
  /**
   * Progressive hints: the first gives the idea, the second names the API or the section to read.
   * Never the answer: a test checks that no hint holds a whole statement of the solution.
   */
  readonly hints: readonly [string, string];
  /** Whether the checks mine blocks on a live regtest chain (they take seconds, not milliseconds). */
  readonly minesBlocks: boolean;
}

/** Where an exercise's reference solution lives, relative to the repository root. */
export function solutionFile(exercise: Pick<Exercise, 'id'>): string {
  return `solutions/${exercise.id}.ts`;
}

/** Where an exercise's checks live, relative to the repository root. */
export function checksFile(exercise: Pick<Exercise, 'id'>): string {
  return `src/curriculum/checks/${exercise.id}.ts`;
}
