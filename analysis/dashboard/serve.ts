import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../common/errors.js';

/**
 * `rvhsim dashboard --port P`: the page over HTTP on the loopback interface only. The server
 * holds the page in memory and serves nothing else, so no path a request names can reach the
 * file system. Requests whose Host header is not the loopback address are refused: a web page
 * elsewhere could otherwise reach the server through a DNS name rebound to 127.0.0.1.
 */

export const LOOPBACK = '127.0.0.1';

export interface DashboardServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `html` at / on 127.0.0.1:`port` (0: a free port the system picks). */
export function serveDashboard(html: string, port = 0): Promise<DashboardServer> {
  const body = Buffer.from(html, 'utf8');
  let actualPort = port;
  const server = createServer((req, res) => answer(req, res, body, actualPort));
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new UserError(`--port ${port}: cannot listen on ${LOOPBACK}:${port} (${e.code})`) : e);
    });
    server.listen(port, LOOPBACK, () => {
      actualPort = (server.address() as AddressInfo).port;
      resolvePromise({
        url: `http://${LOOPBACK}:${actualPort}/`,
        port: actualPort,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((e) => (e === undefined ? done() : fail(e)));
            server.closeAllConnections();
          }),
      });
    });
  });
}

function answer(req: IncomingMessage, res: ServerResponse, body: Buffer, port: number): void {
  const plain = (status: number, text: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text + '\n');
  };
  if (!allowedHost(req.headers.host, port)) return plain(403, `rvhsim dashboard answers only to ${LOOPBACK}:${port} and localhost:${port}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'only GET and HEAD', { Allow: 'GET, HEAD' });
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/' && path !== '/index.html') return plain(404, 'not found: the dashboard is the page at /');
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function allowedHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}
