/**
 * Static demo pages: `<pagesDir>/<host>/<path>` is served for `https://<host>/<path>`, trying the
 * path as a file, then with `.html`, then `<path>/index.html`. Example: the Binance futures page
 * `https://www.binance.com/en/futures/BTCUSDT` comes from
 * `<pagesDir>/www.binance.com/en/futures/BTCUSDT.html` (or `.../BTCUSDT/index.html`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { HttpReply } from './types';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Whether pages exist for this host (its folder is present). */
export function hasPages(pagesDir: string | undefined, host: string): boolean {
  return pagesDir !== undefined && isDir(join(pagesDir, host));
}

export function servePage(pagesDir: string, host: string, path: string): HttpReply {
  const root = resolve(pagesDir, host);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch (_err) {
    return notFound();
  }
  const base = resolve(root, `.${decoded}`);
  if (base !== root && !base.startsWith(root + sep)) return notFound();
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      return {
        status: 200,
        headers: { 'content-type': TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-store' },
        body: readFileSync(candidate),
      };
    }
  }
  return notFound();
}

function notFound(): HttpReply {
  return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>' };
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
