import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/testApp.js';

let service: TestService;
let auth: Record<string, string>;
beforeAll(async () => {
  service = await startTestService();
  auth = { Authorization: `Bearer ${service.adminToken}` };
});
afterAll(() => service.stop());

/** A GET whose body is kept as sent (fetch would undo the encoding). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${service.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('responses on the wire', () => {
  it.each(['/reports/new', '/api/openapi.json'])(
    'sends %s gzipped to a client that accepts it, the same bytes once unzipped',
    async (path) => {
      const plain = await rawGet(path, { ...auth, 'Accept-Encoding': 'identity' });
      const zipped = await rawGet(path, { ...auth, 'Accept-Encoding': 'gzip' });
      expect([plain.status, zipped.status]).toEqual([200, 200]);
      expect(plain.encoding).toBeUndefined();
      expect(zipped.encoding).toBe('gzip');
      expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
      expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    },
  );
});
