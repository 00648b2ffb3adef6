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
 * - A request sent with `stop_on_error: false` (nbclient's `allow_errors`) is never aborted because the cell
 *   before it failed; tslab aborts everything for 200 ms after a failure (`ContinuingHandler`).
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
  JupyterHandlerImpl: new (executor: TslabExecutor, isJs: boolean) => TslabHandler;
  ZmqServer: new (handler: unknown, configPath: string) => { init(): void };
};

/** The parts of tslab's handler `ContinuingHandler` uses (tslab/dist/jupyter.js, util.js). */
interface TslabHandler {
  execQueue: { add<T>(task: () => Promise<T>): Promise<T> };
  handleExecute(req: ExecuteRequest, ...writers: unknown[]): Promise<ExecuteReply>;
  /** Runs one cell; throws tslab's ExecutionCount (`{ count }`) when it failed. */
  handleExecuteImpl(req: ExecuteRequest, ...writers: unknown[]): Promise<{ count: number }>;
}
interface ExecuteRequest {
  code: string;
  stop_on_error?: boolean;
}
interface ExecuteReply {
  status: string;
  execution_count?: number;
}

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
/**
 * tslab answers every request that arrives within 200 ms of a failed cell with "abort", whatever the
 * request's `stop_on_error` says. Jupyter's messaging protocol (execute_request) lets a client ask for the
 * opposite — nbclient with `allow_errors`, a cell tagged `raises-exception` — and then the cells after a
 * failed one must still run: a failure here is kept out of the queue tslab cancels. JupyterLab and Notebook
 * send `stop_on_error: true` for ordinary cells, so Run All still stops at the first error.
 */
class ContinuingHandler extends JupyterHandlerImpl {
  override async handleExecute(req: ExecuteRequest, ...writers: unknown[]): Promise<ExecuteReply> {
    if (req.stop_on_error !== false) return super.handleExecute(req, ...writers);
    const outcome = await this.execQueue.add(async () => {
      try {
        return { status: 'ok', count: (await this.handleExecuteImpl(req, ...writers)).count };
      } catch (failed) {
        const count = (failed as { count?: unknown }).count;
        if (typeof count !== 'number') console.error('unexpected error:', failed);
        return { status: 'error', count: typeof count === 'number' ? count : undefined };
      }
    }).catch(() => ({ status: 'abort', count: undefined })); // an earlier request that stops on error failed
    return { status: outcome.status, execution_count: outcome.count };
  }
}

const server = new ZmqServer(new ContinuingHandler(executor, false), configPath);
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
