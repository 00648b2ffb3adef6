/**
 * Scratch folders for a notebook's stores. A notebook cell that needs a `FileStore` (a monitor persister, a
 * live node, a watchtower's copy) gets a fresh folder under the temporary directory, and nothing in the
 * notebook ever needs it again once the kernel ends: a restarted kernel starts from an empty state, and so
 * do its stores. So a notebook's stores are scratch — the kernel's end is their end — and every folder
 * `scratchDir` makes is removed when the process exits, instead of piling up in the learner's temporary
 * directory (and in a test run's, whose leftovers fail the run) one set per notebook run.
 *
 * 'exit' runs on a normal end and on `process.exit()` — which is how the workshop kernel ends, on Jupyter's
 * shutdown request and on SIGTERM (`src/kernel/kernel-main.ts`) — but not when a signal kills the process
 * outright: a process that may be ended by a signal and is not the kernel installs its own handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

/**
 * A new, empty folder `<tmpdir>/lnlab-<label>-XXXXXX`, removed with everything in it when this process
 * exits (or at `removeScratchDirs()`). For stores whose life is the kernel's; keep anything that must
 * outlive it somewhere else.
 */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lnlab-${label}-`));
  made.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeScratchDirs);
  }
  return dir;
}

/** Removes every folder `scratchDir` has made so far (and not removed yet); a folder that cannot be removed is left. */
export function removeScratchDirs(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the process is ending, and a folder still in use elsewhere is not worth an error.
    }
    made.delete(dir);
  }
}
