// Reading WFDB records from a base URL (issue 16 point 9): a real node:http server on 127.0.0.1
// serves a PhysioNet-style folder (RECORDS, .hea, .dat, .atr) with byte ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { readHeader, readRecord, readRecordsFile } from '../../src/io/readRecord';
import { readAnnotations } from '../../src/io/readAnnotations';
import { BeatSslError } from '../../src/core/errors';
import { EXAMPLES } from './helpers';

interface Logged {
  path: string;
  range: string | undefined;
  status: number;
  bytes: number;
}

const files: Record<string, Uint8Array> = {
  '/db/RECORDS': new TextEncoder().encode('100\nevil\n'),
  '/db/100.hea': readFileSync(join(EXAMPLES, 'mitdb/100.hea')),
  '/db/100.dat': readFileSync(join(EXAMPLES, 'mitdb/100.dat')),
  '/db/100.atr': readFileSync(join(EXAMPLES, 'mitdb/100.atr')),
  '/db/evil.hea': new TextEncoder().encode('evil 1 250 2\n../secret.dat 16\n'),
  '/secret.dat': new Uint8Array(4),
  '/bad/RECORDS': new TextEncoder().encode('../up\n'),
};

let server: Server;
let base = '';
let log: Logged[] = [];
let ignoreRange = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const entry: Logged = { path: url.pathname, range: req.headers.range, status: 200, bytes: 0 };
    log.push(entry);
    if (url.pathname === '/slow/x.hea') return; // never answers (timeout test)
    if (url.pathname === '/broken/x.hea') {
      entry.status = 500;
      res.writeHead(500, 'Internal Server Error').end();
      return;
    }
    const body = files[url.pathname];
    if (!body) {
      entry.status = 404;
      res.writeHead(404, 'Not Found').end('not found');
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m && !ignoreRange) {
      const start = Number(m[1]);
      const end = m[2] === '' ? body.length - 1 : Math.min(Number(m[2]), body.length - 1);
      if (start >= body.length) {
        entry.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      const part = body.subarray(start, end + 1);
      entry.status = 206;
      entry.bytes = part.length;
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': part.length, 'Accept-Ranges': 'bytes' }).end(part);
      return;
    }
    entry.bytes = body.length;
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof BeatSslError)) throw new Error(`expected a BeatSslError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return e.message;
  }
  throw new Error('expected a rejection');
}

describe('readRecord from a base URL', () => {
  it('reads the whole record exactly as from disk', async () => {
    const local = await readRecord(join(EXAMPLES, 'mitdb/100'));
    const remote = await readRecord(`${base}/db/100`);
    const bytesOf = (s: Float32Array) => Buffer.from(s.buffer, s.byteOffset, s.byteLength);
    expect({ ...remote, signals: [] }).toEqual({ ...local, signals: [] });
    remote.signals.forEach((s, i) => expect(bytesOf(s).equals(bytesOf(local.signals[i])), `signal ${i}`).toBe(true));
    const h = await readHeader(`${base}/db/100.hea`);
    expect(h.fs).toBe(360);
  });

  it('a time range requests only its bytes (HTTP Range)', async () => {
    log = [];
    const part = await readRecord(`${base}/db/100`, { fromSec: 60, toSec: 120 });
    const local = await readRecord(join(EXAMPLES, 'mitdb/100'), { fromSec: 60, toSec: 120 });
    expect(part).toEqual(local);
    const dat = log.filter((l) => l.path === '/db/100.dat');
    expect(dat).toHaveLength(1);
    expect(dat[0]).toMatchObject({ range: `bytes=${21600 * 3}-${43200 * 3 - 1}`, status: 206, bytes: 64_800 });
  });

  it('a server that ignores Range still gives the right samples', async () => {
    ignoreRange = true;
    try {
      const part = await readRecord(`${base}/db/100`, { from: 1000, to: 1010 });
      const local = await readRecord(join(EXAMPLES, 'mitdb/100'), { from: 1000, to: 1010 });
      expect(part).toEqual(local);
    } finally {
      ignoreRange = false;
    }
  });

  it('annotations and the RECORDS index', async () => {
    expect(await readAnnotations(`${base}/db/100`, 'atr')).toEqual(await readAnnotations(join(EXAMPLES, 'mitdb/100.atr')));
    expect(await readAnnotations(`${base}/db/100.atr`)).toHaveLength(2274);
    expect(await readRecordsFile(`${base}/db`)).toEqual([`${base}/db/100`, `${base}/db/evil`]);
    expect(await failure(readRecordsFile(`${base}/bad/`))).toMatch(/RECORDS file '.*\/bad\/RECORDS' must list record names inside the folder, but it lists "\.\.\/up"/);
  });

  it('header file names cannot leave the folder URL', async () => {
    log = [];
    expect(await failure(readRecord(`${base}/db/evil`))).toMatch(/the file name of signal 0 must be a file name inside the record's folder/);
    expect(log.some((l) => l.path === '/secret.dat')).toBe(false);
  });

  it('404: names the URL, the status and what to check', async () => {
    expect(await failure(readRecord(`${base}/db/nope`))).toBe(
      `Error in readRecord: header file '${base}/db/nope.hea' must be downloadable, but the server answered 404 Not Found; check the base URL and the record name (PhysioNet files live at https://physionet.org/files/<database>/<version>/<record>).`,
    );
    expect(await failure(readAnnotations(`${base}/db/100`, 'qrs'))).toMatch(/annotation file '.*\/db\/100\.qrs' must be downloadable, but the server answered 404/);
    expect(await failure(readRecord(`${base}/broken/x`))).toMatch(/answered 500 Internal Server Error; the server is busy or failing: try again later/);
  });

  it('connection refused and timeouts are clear errors', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    expect(await failure(readRecord(`http://127.0.0.1:${port}/db/100`))).toBe(
      `Error in readRecord: header file 'http://127.0.0.1:${port}/db/100.hea' must be downloadable, but the request failed (ECONNREFUSED: connection refused); check the URL, that the server is up, and the network or proxy settings.`,
    );
    expect(await failure(readRecord(`${base}/slow/x`, { timeoutMs: 200 }))).toMatch(/header file '.*\/slow\/x\.hea' must download within opts\.timeoutMs = 200 ms/);
  });

  it('cacheDir keeps downloaded files and reuses them (no second request)', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'beat-ssl-cache-'));
    try {
      log = [];
      const a = await readRecord(`${base}/db/100`, { cacheDir: cache, to: 100 });
      expect(log.map((l) => l.path).sort()).toEqual(['/db/100.dat', '/db/100.hea']);
      expect(log.every((l) => l.range === undefined)).toBe(true); // whole files
      const host = `127.0.0.1_${new URL(base).port}`;
      expect(existsSync(join(cache, host, 'db/100.dat'))).toBe(true);
      log = [];
      const b = await readRecord(`${base}/db/100`, { cacheDir: cache });
      expect(log).toHaveLength(0);
      expect(b.signals[0].subarray(0, 100)).toEqual(a.signals[0]);
      expect(await failure(readRecord(join(EXAMPLES, 'mitdb/100'), { cacheDir: cache }))).toMatch(/opts\.cacheDir applies to records read from a URL/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('bad URLs are clear errors', async () => {
    expect(await failure(readRecord('http://'))).toMatch(/base must be a record path or an http\(s\) URL/);
    expect(await failure(readRecord(`${base}/db/`))).toMatch(/base must be a record URL ending in the record name/);
    expect(await failure(readRecord(`${base}/db/100?x=1`))).toMatch(/without '\?query'/);
  });
});
