/**
 * `lnlab start` (what `npm start` runs): one command from a fresh clone to a running workshop. It
 * registers the TypeScript kernel, makes sure a regtest node answers (Bitcoin Core from docker compose if
 * one is up — waiting while it starts — else the embedded node), starts Jupyter on the notebooks and
 * prints the URL. Ctrl-C stops Jupyter, its kernels and the node this run started — and checks that
 * nothing is left running. One workshop per folder: while one runs, `lnlab start` prints its URL.
 */
import { rpcConfigFromEnv, rpcWarmupTimeoutMs } from '../chain/config.js';
import { WorkshopError } from '../errors.js';
import { isProcessAlive, startRegtest, stopRegtest } from '../chain/regtest/launcher.js';
import { findJupyter, flavourName, launchJupyter, listKernelSpecs, logTail, JupyterStartError, type JupyterServer } from '../workshop/setup/jupyter.js';
import { missingJupyterHelp, offerVenvInstall } from '../workshop/setup/jupyter-install.js';
import { ensureSelfLink, KERNEL_NAME, kernelSpecFile, registerKernel } from '../workshop/setup/kernel.js';
import { requireNodeVersion } from '../workshop/setup/node-version.js';
import { chooseJupyterPort, DEFAULT_JUPYTER_PORT, isPortFree } from '../workshop/setup/ports.js';
import { processId } from '../workshop/setup/processes.js';
import { claimWorkshop, cleanUpStale, discardUnreadableRecord, readWorkshop, releaseWorkshop, updateWorkshop, type WorkshopRecord } from '../workshop/setup/workshop-state.js';
import { complain, FAIL, INFO, OK, say, WARN } from './output.js';
import { sayWarmup } from './regtest.js';
import { type Command, UsageError } from './usage.js';

export const START_USAGE = `lnlab start [--no-browser] [--port N]

  --no-browser   do not open a browser; just print the URL (for a remote or headless machine)
  --port N       serve Jupyter on port N (default ${DEFAULT_JUPYTER_PORT}, or a free port if ${DEFAULT_JUPYTER_PORT} is taken)

Installs the locked dependencies first when they are missing or out of date (\`npm ci\`).
Ctrl-C stops Jupyter, its kernels and the regtest node it started.
One workshop per folder: while it runs, \`lnlab start\` prints its URL and exits.`;

/** Jupyter's log, where a learner looks when something went wrong; logTail's default size. */
const FAILURE_LOG_CHARS = 1_500;
/** Checking again whether another `lnlab start` in this folder has reached Jupyter yet. */
const OTHER_START_POLL_MS = 200;
/**
 * Waiting for another `lnlab start` that is still starting: its node may wait for Bitcoin Core
 * (`rpcWarmupTimeoutMs()`), then Jupyter takes up to a minute on a cold disk.
 */
const OTHER_START_EXTRA_MS = 90_000;
/** A record that cannot be read may be one being written this very moment: look again after this. */
const HALF_WRITTEN_RECORD_MS = 100;

interface StartOptions {
  readonly openBrowser: boolean;
  readonly port: number | undefined;
}

function parseArgs(args: readonly string[]): StartOptions {
  let openBrowser = true;
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--no-browser') openBrowser = false;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? args[++i] : arg.slice('--port='.length);
      port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65_535) {
        throw new UsageError(`lnlab start: --port expects a port number from 1 to 65535, got "${value ?? ''}"`, START_USAGE);
      }
    } else throw new UsageError(`lnlab start: unknown option "${arg}"`, START_USAGE);
  }
  return { openBrowser, port };
}

/** Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) all mean "stop the workshop". */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Turns stop signals into a promise, so each start-up step can be followed by "stop if asked". */
function listenForStop(): { readonly stopped: Promise<NodeJS.Signals>; requested(): boolean; dispose(): void } {
  let signalled: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) return say(`${INFO}still stopping, a moment…`);
    signalled = signal;
    say();
    say(`${INFO}stopping the workshop…`);
    resolve(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    stopped,
    requested: () => signalled !== undefined,
    dispose: () => STOP_SIGNALS.forEach((signal) => process.off(signal, handler)),
  };
}

/** Prints where the workshop that already runs in this folder is. */
function sayAlreadyRunning(record: WorkshopRecord, options: StartOptions): void {
  const jupyter = record.jupyter!;
  const since = new Date(record.startedAt).toLocaleTimeString();
  say(`${OK} the workshop is already running in this folder (${jupyter.flavour} on port ${jupyter.port}, started at ${since} by pid ${record.owner.pid}). Open it at:`);
  say();
  say(`    ${jupyter.url}`);
  say();
  if (options.port !== undefined && options.port !== jupyter.port) {
    say(`${INFO}one workshop per folder: it stays on port ${jupyter.port}; to move it to port ${options.port}, stop it first (Ctrl-C in its terminal)`);
  }
  say(`   It runs in the terminal where it was started; Ctrl-C there stops it. Jupyter's log: ${jupyter.logFile}`);
}

/**
 * Claims this folder for a new workshop. When one already runs, says where and resolves with the exit
 * code to end with (0: the learner has a workshop). Otherwise resolves once the claim is this run's,
 * with whether it takes over a regtest node that a dead run had started.
 */
async function claimFolder(options: StartOptions): Promise<{ exit: number } | { adoptNode: boolean }> {
  const giveUpAt = Date.now() + rpcWarmupTimeoutMs() + OTHER_START_EXTRA_MS;
  let saidWaiting = false;
  let adoptNode = false;
  for (;;) {
    if (claimWorkshop(false)) return { adoptNode };
    const existing = await readWorkshop();
    switch (existing.state) {
      case 'running':
        sayAlreadyRunning(existing.record, options);
        return { exit: 0 };
      case 'unresponsive':
        complain(
          `${FAIL} a workshop runs in this folder (pid ${existing.record.owner.pid}), but its Jupyter does not answer at ${existing.record.jupyter?.baseUrl}\n` +
            `→ stop it with Ctrl-C in its terminal (or \`kill ${existing.record.owner.pid}\`), then run \`npm start\` again`,
        );
        return { exit: 1 };
      case 'stale': {
        const jupyterPid = await cleanUpStale(existing.record);
        say(`${INFO}a previous \`npm start\` (pid ${existing.record.owner.pid}) did not stop cleanly; cleared what it left${jupyterPid ? ` (stopped its Jupyter, pid ${jupyterPid})` : ''}`);
        adoptNode ||= existing.record.startedNode;
        break;
      }
      case 'starting':
        if (!saidWaiting) say(`${INFO}the workshop is starting in another terminal (pid ${existing.record.owner.pid}); waiting for its URL…`);
        saidWaiting = true;
        if (Date.now() > giveUpAt) {
          complain(`${FAIL} the workshop started by pid ${existing.record.owner.pid} has not reached Jupyter yet\n→ look at its terminal; Ctrl-C there stops it`);
          return { exit: 1 };
        }
        await new Promise((resolve) => setTimeout(resolve, OTHER_START_POLL_MS));
        break;
      case 'none':
        // Unreadable: another start may be writing it right now. Look again; if still unreadable, it is junk.
        await new Promise((resolve) => setTimeout(resolve, HALF_WRITTEN_RECORD_MS));
        if ((await readWorkshop()).state === 'none') discardUnreadableRecord();
        break;
    }
  }
}

async function startWorkshop(options: StartOptions, adoptNode: boolean): Promise<number> {
  let jupyter = findJupyter();
  if (!jupyter) {
    complain(`${FAIL} ${missingJupyterHelp()}`);
    if (await offerVenvInstall(process.env, say)) jupyter = findJupyter();
    if (!jupyter) return 1;
  }

  // A closed terminal (SIGHUP) makes writes fail; clean-up must go on regardless.
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  const stop = listenForStop();
  let server: JupyterServer | undefined;
  let startedNode = false;
  let code = 0;
  try {
    say(`${INFO}registering the TypeScript kernel "${KERNEL_NAME}"…`);
    if (ensureSelfLink()) say(`   re-created node_modules/lightning-lab (the link that lets notebooks import 'lightning-lab')`);
    registerKernel();
    say(`${OK} kernel registered in ${kernelSpecFile()}`);
    if (stop.requested()) return 0;

    const config = rpcConfigFromEnv();
    const node = await startRegtest(config, undefined, {
      onWarmup: sayWarmup,
      onSpawn: () => say(`${INFO}no regtest node answers at ${config.url}; starting the embedded node…`),
    });
    // A node the dead run before us started is ours to stop now.
    startedNode = node.started || (adoptNode && node.state === 'embedded');
    updateWorkshop({ startedNode });
    if (stop.requested()) return 0;
    const which = node.state === 'external' ? `${node.backend} (not started by lnlab)` : 'embedded node';
    say(`${OK} regtest node: ${which} at ${node.url}, height ${node.height}`);

    if (options.port !== undefined && !(await isPortFree(options.port))) {
      throw new JupyterStartError(`port ${options.port} is already in use`, 'choose another with `--port`, or leave `--port` out and lnlab picks a free one');
    }
    const { port, busyDefault } = await chooseJupyterPort(options.port);
    if (busyDefault) say(`${INFO}port ${DEFAULT_JUPYTER_PORT} is taken (another Jupyter?); using port ${port}`);
    say(`${INFO}starting ${flavourName(jupyter.flavour)}…`);
    server = await launchJupyter({ install: jupyter, port, openBrowser: options.openBrowser });
    const jupyterProcess = processId(server.pid);
    if (jupyterProcess) {
      updateWorkshop({
        jupyter: {
          process: jupyterProcess,
          flavour: flavourName(server.flavour),
          port: server.port,
          baseUrl: server.baseUrl,
          token: server.token,
          url: server.url,
          logFile: server.logFile,
        },
      });
    }
    if (!(await listKernelSpecs(server)).includes(KERNEL_NAME)) {
      say(`${WARN} Jupyter does not list the "${KERNEL_NAME}" kernel; see \`npx lnlab doctor\` (Jupyter's log: ${server.logFile})`);
    }
    say(`${OK} ${flavourName(server.flavour)} is running. Open the workshop at:`);
    say();
    say(`    ${server.url}`);
    say();
    say(`   Press Ctrl-C here to stop Jupyter${startedNode ? ' and the regtest node' : ''}. Jupyter's log: ${server.logFile}`);

    const outcome = await Promise.race([stop.stopped.then(() => 'signal' as const), server.exited]);
    if (outcome !== 'signal') {
      if (outcome === 0) say(`${INFO}Jupyter was shut down; stopping the workshop…`);
      else {
        complain(`${FAIL} Jupyter stopped unexpectedly (exit code ${outcome}). Its log ends with:\n${logTail(server.logFile, FAILURE_LOG_CHARS, server.logOffset)}`);
        code = 1;
      }
    }
    return code;
  } catch (err) {
    // Said here, before the clean-up's own lines, so the learner reads the cause first.
    if (!(err instanceof WorkshopError) || err instanceof UsageError) throw err;
    complain(`${FAIL} ${err.message}`);
    return 1;
  } finally {
    const left = server ? await server.stop() : [];
    const nodePid = startedNode ? await stopRegtest() : undefined;
    stop.dispose();
    const remaining = [...left.map((id) => id.pid), ...(nodePid !== undefined && isProcessAlive(nodePid) ? [nodePid] : [])];
    if (remaining.length > 0) complain(`${FAIL} could not stop process(es) ${remaining.join(', ')}; end them with \`kill -9 ${remaining.join(' ')}\``);
    else if (server || startedNode) {
      say(`${OK} stopped ${[server ? 'Jupyter and its kernels' : '', startedNode ? 'the regtest node' : ''].filter(Boolean).join(' and ')}`);
    }
  }
}

export async function startCommand(args: string[] = []): Promise<number> {
  const options = parseArgs(args);
  requireNodeVersion();
  const claim = await claimFolder(options);
  if ('exit' in claim) return claim.exit;
  try {
    return await startWorkshop(options, claim.adoptNode);
  } finally {
    releaseWorkshop();
  }
}

/** `lnlab start`, for the command table in `main.ts`. */
export const START_COMMAND: Command = {
  synopsis: 'start [--no-browser] [--port N]',
  summary: 'start the workshop: regtest node, kernel, Jupyter',
  usage: START_USAGE,
  run: startCommand,
};
