import { request } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { serveDashboard } from './serve.js';

const PAGE = '<!doctype html><title>dash</title>';

/** A raw GET with a chosen Host header (fetch would not let a test set it). */
function get(port: number, path: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serveDashboard', () => {
  it('serves the page on 127.0.0.1 at a free port when given port 0, and stops answering once closed', async () => {
    const server = await serveDashboard(PAGE, 0);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(PAGE);
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('serves nothing but the page: other paths are 404, other methods 405', async () => {
    const server = await serveDashboard(PAGE, 0);
    try {
      expect((await get(server.port, '/index.html')).body).toBe(PAGE);
      expect((await get(server.port, '/?x=1')).body).toBe(PAGE);
      expect((await get(server.port, '/../../etc/passwd')).status).toBe(404);
      expect((await get(server.port, '/package.json')).status).toBe(404);
      expect((await get(server.port, '/', undefined, 'POST')).status).toBe(405);
      expect((await get(server.port, '/', undefined, 'HEAD')).body).toBe('');
    } finally {
      await server.close();
    }
  });

  it('refuses requests for any host but the loopback address (DNS rebinding)', async () => {
    const server = await serveDashboard(PAGE, 0);
    try {
      expect((await get(server.port, '/', `localhost:${server.port}`)).status).toBe(200);
      expect((await get(server.port, '/', `evil.example:${server.port}`)).status).toBe(403);
      expect((await get(server.port, '/', '127.0.0.1')).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('reports a port in use as a UserError naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = serveDashboard(PAGE, port);
      await expect(attempt).rejects.toThrow(UserError);
      await expect(attempt).rejects.toThrow(`--port ${port}`);
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
  });
});
