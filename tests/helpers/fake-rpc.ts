/** A fake JSON-RPC server on loopback, answering each method from a table. Used only to inject faults. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRpc {
  url: string;
  close(): Promise<void>;
}

export async function startFakeRpc(answers: Record<string, unknown>): Promise<FakeRpc> {
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { method, id } = JSON.parse(body) as { method: string; id: unknown };
      const known = method in answers;
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify(
          known
            ? { result: answers[method], error: null, id }
            : { result: null, error: { code: -32601, message: 'Method not found' }, id },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
