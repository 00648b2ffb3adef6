/**
 * A minimal Jupyter client for tests: start a kernel over REST and run a cell over the kernel websocket
 * (Jupyter messaging protocol v5), collecting what the cell prints. Strict on purpose: a cell counts as run
 * only when its `execute_reply` says `ok` — tslab answers requests that arrive within 200 ms of a failed
 * cell with a non-standard "abort" status and no output, which must never pass for success.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface JupyterEndpoint {
  readonly baseUrl: string;
  readonly token: string;
}

/** `POST /api/kernels`: starts a kernel of `name`, resolves with its id. */
export async function startKernel(server: JupyterEndpoint, name: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/kernels?token=${server.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`POST /api/kernels: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export interface CellResult {
  /** `execute_reply` status: `ok`, `error`, or tslab's `abort`. */
  readonly status: string;
  readonly stdout: string;
  readonly stderr: string;
  /** `ename: evalue` of an `error` message, if any. */
  readonly error: string | undefined;
}

interface Message {
  channel: string;
  header: { msg_type: string; msg_id: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown>;
}

/** A websocket to one kernel's channels. */
export class KernelConnection {
  private readonly session = randomUUID();
  private readonly listeners = new Set<(message: Message) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      for (const listener of this.listeners) listener(message);
    });
  }

  static async open(server: JupyterEndpoint, kernelId: string): Promise<KernelConnection> {
    const url = `${server.baseUrl.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels?token=${server.token}`;
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new KernelConnection(socket);
  }

  private send(channel: string, msgType: string, content: Record<string, unknown>): string {
    const msgId = randomUUID();
    this.socket.send(
      JSON.stringify({
        channel,
        header: { msg_id: msgId, msg_type: msgType, session: this.session, username: 'test', version: '5.3', date: new Date().toISOString() },
        parent_header: {},
        metadata: {},
        content,
        buffers: [],
      }),
    );
    return msgId;
  }

  /** Sends a request and collects the replies to it until `done` says so, or rejects after `timeoutMs`. */
  private exchange<T>(channel: string, msgType: string, content: Record<string, unknown>, timeoutMs: number, done: (message: Message) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let msgId = '';
      const listener = (message: Message) => {
        if (message.parent_header.msg_id !== msgId) return;
        const result = done(message);
        if (result === undefined) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${msgType}: no complete answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
      msgId = this.send(channel, msgType, content);
    });
  }

  /** Waits until the kernel answers `kernel_info_request`, i.e. is up. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await this.exchange('shell', 'kernel_info_request', {}, timeoutMs, (m) => (m.header.msg_type === 'kernel_info_reply' ? true : undefined));
  }

  /** Runs one cell; resolves once both its `execute_reply` and the iopub `idle` status have arrived. */
  execute(code: string, timeoutMs = 30_000): Promise<CellResult> {
    let stdout = '';
    let stderr = '';
    let error: string | undefined;
    let status: string | undefined;
    let idle = false;
    return this.exchange(
      'shell',
      'execute_request',
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      timeoutMs,
      (m) => {
        const type = m.header.msg_type;
        if (type === 'stream') {
          if (m.content.name === 'stderr') stderr += String(m.content.text);
          else stdout += String(m.content.text);
        } else if (type === 'error') error = `${String(m.content.ename)}: ${String(m.content.evalue)}`;
        else if (type === 'execute_reply') status = String(m.content.status);
        else if (type === 'status' && m.content.execution_state === 'idle') idle = true;
        return idle && status !== undefined ? { status, stdout, stderr, error } : undefined;
      },
    );
  }

  close(): void {
    this.socket.close();
  }
}
