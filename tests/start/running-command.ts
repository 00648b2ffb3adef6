/** A long-running command (`npm start`, `lnlab start`) under test: its output so far, and Ctrl-C. */
import { spawn, type ChildProcess } from 'node:child_process';

export class RunningCommand {
  /** stdout and stderr, interleaved as they arrived. */
  output = '';
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;

  /**
   * Starts `command` in a process group of its own, like a terminal's foreground job, so `interrupt()`
   * can deliver Ctrl-C the way a terminal does: to every process of the job at once.
   */
  constructor(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output += String(chunk)));
    this.child.stderr!.on('data', (chunk) => (this.output += String(chunk)));
    // 'close': every process of the job has exited and every line it printed has arrived.
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output; rejects on timeout or exit. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const match = this.output.match(pattern);
        if (match) {
          clearInterval(timer);
          resolve(match);
        } else if (Date.now() > deadline || !this.running) {
          clearInterval(timer);
          reject(new Error(`no ${pattern} in the output:\n${this.output}`));
        }
      }, 50);
    });
  }

  /** Ctrl-C: SIGINT to the whole job; resolves once it has ended. */
  async interrupt(): Promise<void> {
    process.kill(-this.child.pid!, 'SIGINT');
    await this.closed;
  }

  /** For clean-up after a failed test: SIGKILL to the whole job, if it still runs. */
  kill(): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
