/**
 * What the room's tests are made of: the real `lnlab class serve` in a child process, a TCP relay that
 * can cut one learner off the network (and let them back on), and the room page in a real Chromium.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/internal.js';
import { RunningCommand } from '../start/running-command.js';

/** What `lnlab class serve` printed: the learners' join line parts, the env var and the page URL. */
export interface ServeLines {
  readonly url: string;
  readonly joinToken: string;
  readonly envLine: string;
  readonly viewUrl: string;
}

const SERVE_START_MS = 30_000;

/** `lnlab class serve` as the instructor runs it, on loopback; `stop()` is Ctrl-C. */
export class ClassServerProcess {
  readonly command: RunningCommand;
  readonly lines: Promise<ServeLines>;

  constructor(dataDir: string, port: number, home: string) {
    this.command = new RunningCommand(process.execPath, [join(PROJECT_ROOT, 'bin', 'lnlab.js'), 'class', 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LNLAB_HOME: home },
    });
    this.lines = this.command.waitFor(/Ctrl-C stops the server/, SERVE_START_MS).then(() => {
      const out = this.command.output;
      const join = /npx lnlab class join (\S+) (\S+) --name "<your name>"/.exec(out);
      const env = /^\s*(LNLAB_CLASS=\S+)$/m.exec(out);
      const view = /^\s*(http:\/\/\S+\/\?view=\S+)$/m.exec(out);
      if (!join || !env || !view) throw new Error(`lnlab class serve printed no join line, variable or page URL:\n${out}`);
      return { url: join[1]!, joinToken: join[2]!, envLine: env[1]!, viewUrl: view[1]! };
    });
  }

  /** Ctrl-C; resolves once the server has exited. */
  async stop(): Promise<void> {
    if (this.command.running) await this.command.interrupt();
  }
}

/**
 * A relay from a port of its own to the class server: the learner behind it is online while it relays.
 * `offline()` drops every connection and stops listening (connections are refused, as on a dead Wi-Fi);
 * `online()` listens on the same port again.
 */
export class NetworkCable {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async online(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  async offline(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

/** Chromium as the tests run it: Debian's, headless, nothing fetched in the background. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A fresh browser profile in a temporary folder; `close()` ends the browser and removes the profile. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'lnlab-room-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The text of the grid cell of `learner` (by name) and `exercise`, as the browser shows it. */
export async function cellText(page: Page, learner: string, exercise: string): Promise<string> {
  const row = page.locator('#room tbody tr').filter({ has: page.locator('th.learner .name', { hasText: learner }) });
  return (await row.locator(`td[data-exercise="${exercise}"]`).innerText()).replace(/\s+/g, ' ').trim();
}

/** Polls `read` until it returns something `accept` likes, or fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`still not as expected after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
