/**
 * The workshop's Jupyter kernel: tslab, started the way `tslab kernel` starts it, with these additions.
 * - Every cell's source is recorded by the functions it declares (`cell-record.ts`), so a check cell grades
 *   the exercise as the learner last ran it. A cell that fails to compile also removes the functions it
 *   declared from the kernel: the check then says "does not compile" instead of grading the old version.
 * - A workshop error (`WorkshopError`: a refused broadcast, an unreachable node) is shown as its message and
 *   fix, not a stack trace into the workshop's code.
 * - A cell that uses a name the setup cell (or a cell above) defines, in a kernel that has not run them —
 *   after a restart, say — is told to run the cells above first.
 * - A cell that reaches a hole `yourNode()` found nothing for is told which part to write (and counts as run).
 * - A cell whose first line is `// needs: <exercise>, …` is skipped with a note when this copy has neither
 *   the learner's passing code nor a reference for one of them (see `notebook-state.ts`).
 * - SIGTERM (how Jupyter ends a kernel that does not exit on its shutdown request) exits through
 *   `process.exit`, so 'exit' handlers run: the notebook's scratch folders (`scratchDir`) are removed.
 *
 * Run by the kernelspec `lnlab start` writes: `node --import tsx src/kernel/kernel-main.ts <connection file>`.
 */
import { createRequire } from 'node:module';
import { recordCell, startRecording } from './cell-record.js';
import { missingPartNote, neededParts, RUN_CELLS_ABOVE, whyCellCannotRun } from './notebook-state.js';

const require = createRequire(import.meta.url);
const { createConverter } = require('tslab/dist/converter') as { createConverter(options: { isJS: boolean; isBrowser: boolean }): { close(): void } };
const { createExecutor } = require('tslab/dist/executor') as {
  createExecutor(rootDir: string, convs: unknown, console: { log(...args: unknown[]): void; error(...args: unknown[]): void }): TslabExecutor;
};
const { JupyterHandlerImpl, ZmqServer } = require('tslab/dist/jupyter') as {
  JupyterHandlerImpl: new (executor: TslabExecutor, isJs: boolean) => unknown;
  ZmqServer: new (handler: unknown, configPath: string) => { init(): void };
};

interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  locals: Record<string, unknown>;
  interrupt(): void;
}

/** tslab's diagnostics say this about a name that is not defined. */
const UNDEFINED_NAME = /Cannot find name '[^']+'/;

/** A workshop error's message (which ends with the fix), without the stack. */
function isWorkshopError(value: unknown): value is Error & { code: string; fix?: string } {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'fix' in value;
}

let nudged = false;
/** Set when the running cell stopped at a hole `yourNode()` reported missing, and was told so. */
let stoppedAtMissingPart = false;
/**
 * The note of the last cell that stopped at a missing part: later cells that use what it would have
 * defined cannot compile, and are skipped with that note rather than sent to "run the cells above".
 */
let lastMissingNote: string | undefined;
let skippedForMissing = false;
const kernelConsole = {
  log: (...args: unknown[]) => console.log(...args),
  error: (...args: unknown[]) => {
    const [first] = args;
    const hole = isWorkshopError(first) ? (first as { hole?: unknown }).hole : undefined;
    const note = typeof hole === 'string' ? missingPartNote(hole) : undefined;
    if (note !== undefined) {
      stoppedAtMissingPart = true;
      lastMissingNote = note;
      console.log(note);
      return;
    }
    if (lastMissingNote !== undefined && args.some((a) => typeof a === 'string' && UNDEFINED_NAME.test(a))) {
      if (!skippedForMissing) console.log(`⏸ Skipped: this cell uses what a cell above could not make. ${lastMissingNote.replace(/^⏸ Stopped here: /, '')}`);
      skippedForMissing = true;
      return;
    }
    if (isWorkshopError(first)) {
      console.error(`❌ ${first.name}: ${first.message}`);
      return;
    }
    console.error(...args);
    if (!nudged && args.some((a) => typeof a === 'string' && UNDEFINED_NAME.test(a))) {
      nudged = true;
      console.error(RUN_CELLS_ABOVE);
    }
  },
};

class Converters {
  #node: { close(): void } | undefined;
  #browser: { close(): void } | undefined;
  get node() {
    return (this.#node ??= createConverter({ isJS: false, isBrowser: false }));
  }
  get browser() {
    return (this.#browser ??= createConverter({ isJS: false, isBrowser: true }));
  }
  close() {
    this.#node?.close();
    this.#browser?.close();
  }
}

const configPath = process.argv[2];
if (!configPath) {
  process.stderr.write('usage: kernel-main.ts <connection file> (Jupyter passes it; see the kernelspec)\n');
  process.exit(2);
}

startRecording();
const converters = new Converters();
void converters.node; // compile the first cell sooner
const executor = createExecutor(process.cwd(), converters, kernelConsole);
const execute = executor.execute.bind(executor);
executor.execute = async (src: string) => {
  nudged = false;
  stoppedAtMissingPart = false;
  skippedForMissing = false;
  // A cell that needs a part nothing fills in this copy is skipped, with what to write, rather than failing.
  const cannot = whyCellCannotRun(neededParts(src));
  if (cannot !== undefined) {
    console.log(cannot);
    return true;
  }
  const ok = await execute(src);
  const names = recordCell(src, ok);
  if (!ok) for (const name of names) delete executor.locals[name];
  // A part this copy lacks is explained above, like a `// needs:` cell skipped: the notebook goes on.
  return ok || stoppedAtMissingPart || skippedForMissing;
};
const server = new ZmqServer(new JupyterHandlerImpl(executor, false), configPath);
// SIGINT is Jupyter's "interrupt the cell", never an end.
process.on('SIGINT', () => executor.interrupt());
// Jupyter ends a kernel with a shutdown request, and tslab then only closes its sockets: a kernel whose
// cells left something running (a grading child, a watchtower, a timer, an HTTP agent) does not exit, and
// Jupyter sends SIGTERM after a few seconds. Node's default for SIGTERM skips 'exit' handlers, and with
// them the removal of the notebook's scratch folders (`scratchDir`): exit properly instead.
process.on('SIGTERM', () => process.exit(0));
process.on('uncaughtException', (err) => console.error('UncaughtException:', err));
process.on('unhandledRejection', (reason) => console.error('UnhandledPromiseRejection:', reason));
server.init();
