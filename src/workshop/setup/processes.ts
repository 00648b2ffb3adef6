/**
 * Process-tree bookkeeping so `lnlab start` leaves nothing running: Jupyter starts each kernel in a
 * session of its own, so signalling Jupyter's process group does not reach the kernels, and a kernel
 * whose server died keeps running. lnlab therefore notes every descendant before it stops Jupyter and
 * ends whichever of them outlive it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isProcessAlive } from '../../chain/regtest/launcher.js';

/** How long a process gets to exit after SIGTERM before it is sent SIGKILL. */
export const GRACEFUL_STOP_MS = 8_000;
const POLL_MS = 50;

/** One process, identified by pid and start time so a recycled pid is never mistaken for it. */
export interface ProcessId {
  readonly pid: number;
  /** `/proc/<pid>/stat` start time on Linux; `undefined` where there is no `/proc`. */
  readonly startTime: string | undefined;
}

/** From `/proc/<pid>/stat`: state (`Z` for a zombie), parent pid and start time. */
function procStat(pid: number): { state: string; ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, starttime field 22.
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** Every process's parent, from `/proc` on Linux or `ps` elsewhere (macOS). */
function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[] | undefined;
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    entries = undefined;
  }
  if (entries) {
    for (const name of entries) {
      const stat = procStat(Number(name));
      if (stat) parents.set(Number(name), stat.ppid);
    }
    return parents;
  }
  const table = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  for (const line of table.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined && !Number.isNaN(ppid)) parents.set(pid, ppid);
  }
  return parents;
}

/** The process `pid` as a `ProcessId`, or `undefined` when it is not running. */
export function processId(pid: number): ProcessId | undefined {
  if (!isProcessAlive(pid)) return undefined;
  return { pid, startTime: procStat(pid)?.startTime };
}

/** All living descendants of `pid` (children, grandchildren…), not `pid` itself. */
export function descendants(pid: number): ProcessId[] {
  const parents = parentTable();
  const found: ProcessId[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      queue.push(child);
      const id = processId(child);
      if (id) found.push(id);
    }
  }
  return found;
}

/** Whether this very process (same pid, same start time) is still running. */
export function stillRunning(id: ProcessId): boolean {
  if (!isProcessAlive(id.pid)) return false;
  if (id.startTime === undefined) return true;
  // A zombie has exited; only its parent's wait() is missing. It holds no resources worth chasing.
  const stat = procStat(id.pid);
  return stat !== undefined && stat.startTime === id.startTime && stat.state !== 'Z';
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

/** Resolves once none of `ids` is running, or after `timeoutMs`; resolves with the ones left. */
export async function waitForExit(ids: readonly ProcessId[], timeoutMs: number): Promise<ProcessId[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = ids.filter(stillRunning);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Ends processes: SIGTERM (to a whole process group when `group` is given, so a server's helpers go
 * with it), up to `GRACEFUL_STOP_MS` to exit, then SIGKILL. Resolves with the ones still running after
 * that, which should be none.
 */
export async function endProcesses(ids: readonly ProcessId[], group?: number): Promise<ProcessId[]> {
  if (group !== undefined) signal(-group, 'SIGTERM');
  for (const id of ids) if (stillRunning(id)) signal(id.pid, 'SIGTERM');
  const lingering = await waitForExit(ids, GRACEFUL_STOP_MS);
  if (lingering.length === 0) return [];
  if (group !== undefined) signal(-group, 'SIGKILL');
  for (const id of lingering) signal(id.pid, 'SIGKILL');
  return waitForExit(lingering, 2_000);
}
