/**
 * `lnlab start` (what `npm start` runs): one command from a fresh clone to a running workshop. It
 * registers the TypeScript kernel, makes sure a regtest node answers (Bitcoin Core from docker compose if
 * one is up, else the embedded node), starts Jupyter on the notebooks and prints the URL. Ctrl-C stops
 * Jupyter, its kernels and the node this run started — and checks that nothing is left running.
 */
import { rpcConfigFromEnv } from '../chain/config.js';
import { WorkshopError } from '../errors.js';
import { isProcessAlive, NodeStartError, regtestStatus, startRegtest, stopRegtest } from '../chain/regtest/launcher.js';
import { findJupyter, flavourName, launchJupyter, listKernelSpecs, logTail, JupyterStartError, type JupyterServer } from '../workshop/setup/jupyter.js';
import { missingJupyterHelp, offerVenvInstall } from '../workshop/setup/jupyter-install.js';
import { ensureSelfLink, KERNEL_NAME, kernelSpecFile, registerKernel } from '../workshop/setup/kernel.js';
import { requireNodeVersion } from '../workshop/setup/node-version.js';
import { chooseJupyterPort, DEFAULT_JUPYTER_PORT, isPortFree } from '../workshop/setup/ports.js';
import { complain, FAIL, INFO, OK, say, WARN } from './output.js';
import { UsageError } from './usage.js';

export const START_USAGE = `lnlab start [--no-browser] [--port N]

  --no-browser   do not open a browser; just print the URL (for a remote or headless machine)
  --port N       serve Jupyter on port N (default ${DEFAULT_JUPYTER_PORT}, or a free port if ${DEFAULT_JUPYTER_PORT} is taken)

Ctrl-C stops Jupyter, its kernels and the regtest node it started.`;

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

export async function startCommand(args: string[] = []): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    say(START_USAGE);
    return 0;
  }
  const options = parseArgs(args);
  requireNodeVersion();

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
    const before = await regtestStatus(config);
    if (before.state === 'stopped') say(`${INFO}no regtest node answers at ${config.url}; starting the embedded node…`);
    const node = await startRegtest(config);
    startedNode = node.started;
    if (stop.requested()) return 0;
    if (node.state === 'stopped') throw new NodeStartError(`the regtest node at ${node.url} stopped answering`, 'run `npx lnlab doctor`');
    const which = node.state === 'external' ? `${node.backend} (not started by lnlab)` : 'embedded node';
    say(`${OK} regtest node: ${which} at ${node.url}, height ${node.height}`);

    if (options.port !== undefined && !(await isPortFree(options.port))) {
      throw new JupyterStartError(`port ${options.port} is already in use`, 'choose another with `--port`, or leave `--port` out and lnlab picks a free one');
    }
    const { port, busyDefault } = await chooseJupyterPort(options.port);
    if (busyDefault) say(`${INFO}port ${DEFAULT_JUPYTER_PORT} is taken (another Jupyter?); using port ${port}`);
    say(`${INFO}starting ${flavourName(jupyter.flavour)}…`);
    server = await launchJupyter({ install: jupyter, port, openBrowser: options.openBrowser });
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
        complain(`${FAIL} Jupyter stopped unexpectedly (exit code ${outcome}). Its log ends with:\n${logTail(server.logFile)}`);
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
