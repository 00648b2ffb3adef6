/**
 * One workshop per folder. `lnlab start` records the workshop it runs in `$LNLAB_HOME/workshop.json`:
 * created exclusively before anything starts (so two starts at once cannot both win), filled in with
 * Jupyter's URL once it answers, removed when the workshop stops. A second `npm start` reads it and
 * prints the running workshop's URL instead of starting another Jupyter on the same notebooks, and
 * `lnlab doctor` reads it to say whether the workshop is running.
 *
 * A record is trusted only while the process that wrote it is alive (same pid, same start time, so a
 * recycled pid is not mistaken for it) and its Jupyter answers with the recorded token. A record whose
 * writer is gone — `lnlab` was killed, the machine slept and rebooted — is stale: the next start clears
 * it, after stopping a Jupyter the dead run may have left behind.
 */
import { mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { WorkshopError } from '../../errors.js';
import { lnlabHome } from './paths.js';
import { descendants, endProcesses, processId, stillRunning, type ProcessId } from './processes.js';

/** How long the liveness check waits for the recorded Jupyter to answer. */
const ANSWER_TIMEOUT_MS = 2_000;

/** What `workshop.json` holds. `jupyter` and `url` are absent while the workshop is still starting. */
export interface WorkshopRecord {
  /** The `lnlab start` process that runs the workshop. */
  readonly owner: ProcessId;
  /** When it started, ISO 8601. */
  readonly startedAt: string;
  /** Whether that run started the embedded regtest node (and so stops it at the end). */
  readonly startedNode: boolean;
  readonly jupyter?: {
    readonly process: ProcessId;
    readonly flavour: string;
    readonly port: number;
    readonly baseUrl: string;
    readonly token: string;
    /** The URL to open: first notebook, with token. */
    readonly url: string;
    readonly logFile: string;
  };
}

export type WorkshopState =
  | { readonly state: 'none' }
  /** Its `lnlab start` is alive and has not reached Jupyter yet. */
  | { readonly state: 'starting'; readonly record: WorkshopRecord }
  /** Alive, and its Jupyter answers with the recorded token. */
  | { readonly state: 'running'; readonly record: WorkshopRecord }
  /** Alive, but its Jupyter does not answer (hung, or stopping). */
  | { readonly state: 'unresponsive'; readonly record: WorkshopRecord }
  /** Its `lnlab start` is gone; the record was left behind. */
  | { readonly state: 'stale'; readonly record: WorkshopRecord };

/** The record cannot be written: lnlab could not tell a second start that this one runs. */
export class WorkshopStateError extends WorkshopError {
  constructor(file: string, cause: unknown) {
    super(
      'WORKSHOP_STATE',
      `cannot write ${file}: expected a writable workspace, got ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      'make that folder writable, or set LNLAB_HOME to a folder you can write to (`npx lnlab doctor` checks it)',
      { cause },
    );
  }
}

/** `$LNLAB_HOME/workshop.json`. */
export function workshopStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(lnlabHome(env), 'workshop.json');
}

function readRecord(file: string): WorkshopRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as WorkshopRecord;
    return Number.isInteger(record.owner?.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

async function answers(baseUrl: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/api/kernelspecs?token=${token}`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Reads the record and checks it is alive. An unreadable record counts as none (it is overwritten). */
export async function readWorkshop(env: NodeJS.ProcessEnv = process.env): Promise<WorkshopState> {
  const record = readRecord(workshopStateFile(env));
  if (!record) return { state: 'none' };
  if (!stillRunning(record.owner)) return { state: 'stale', record };
  if (!record.jupyter) return { state: 'starting', record };
  return (await answers(record.jupyter.baseUrl, record.jupyter.token)) ? { state: 'running', record } : { state: 'unresponsive', record };
}

/**
 * Stops what a dead run left: its Jupyter (with its kernels), if that very process still runs.
 * Resolves with the Jupyter's pid when there was one to stop.
 */
export async function cleanUpStale(record: WorkshopRecord, env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  const jupyter = record.jupyter?.process;
  let stopped: number | undefined;
  if (jupyter && stillRunning(jupyter)) {
    await endProcesses([jupyter, ...descendants(jupyter.pid)], jupyter.pid);
    stopped = jupyter.pid;
  }
  rmSync(workshopStateFile(env), { force: true });
  return stopped;
}

function writeAtomically(file: string, record: WorkshopRecord): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Claims the folder for this process: creates the record only if there is none, so of two starts at
 * once exactly one gets `true`. The other gets `false` and should `readWorkshop()`.
 */
export function claimWorkshop(startedNode: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = workshopStateFile(env);
  const owner = processId(process.pid) ?? { pid: process.pid, startTime: undefined };
  const record: WorkshopRecord = { owner, startedAt: new Date().toISOString(), startedNode };
  let fd: number;
  try {
    mkdirSync(lnlabHome(env), { recursive: true });
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new WorkshopStateError(file, err);
  }
  try {
    writeFileSync(fd, `${JSON.stringify(record, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Updates this process's record (it must hold the claim). */
export function updateWorkshop(change: Partial<Omit<WorkshopRecord, 'owner'>>, env: NodeJS.ProcessEnv = process.env): void {
  const file = workshopStateFile(env);
  const record = readRecord(file);
  if (!record || record.owner.pid !== process.pid) return;
  writeAtomically(file, { ...record, ...change });
}

/** Removes the record if this process holds it; someone else's is left alone. */
export function releaseWorkshop(env: NodeJS.ProcessEnv = process.env): void {
  const file = workshopStateFile(env);
  const record = readRecord(file);
  if (record && record.owner.pid === process.pid) rmSync(file, { force: true });
}

/** Removes a record that cannot be read at all (a crash mid-write), so the folder can be claimed. */
export function discardUnreadableRecord(env: NodeJS.ProcessEnv = process.env): void {
  const file = workshopStateFile(env);
  if (!readRecord(file)) rmSync(file, { force: true });
}
