import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Vite names every built asset by its content hash: such a file never changes, so browsers may keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The entry page names the current assets: browsers must ask again (a cheap 304) on each visit. */
const REVALIDATE = 'no-cache';

/**
 * Serves a built single-page app from `root`: its files as they are (GET and HEAD), and `index.html` for any other
 * path that looks like a page (no extension), so that deep links such as /actions open the app. Answers false when
 * it has nothing for the request (e.g. the build is missing), leaving the caller to say 404.
 */
export function staticWebApp(root: string): (request: IncomingMessage, response: ServerResponse, pathname: string) => boolean {
  const resolvedRoot = path.resolve(root);
  return (request, response, pathname) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const candidate = path.resolve(resolvedRoot, `.${path.posix.normalize(decoded)}`);
    // Never a file outside the build, whatever the path says.
    if (candidate !== resolvedRoot && !candidate.startsWith(resolvedRoot + path.sep)) return false;
    const file = isFile(candidate) ? candidate : path.extname(decoded) === '' ? path.join(resolvedRoot, 'index.html') : undefined;
    if (file === undefined || !isFile(file)) return false;
    const isAsset = path.relative(resolvedRoot, file).startsWith(`assets${path.sep}`);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': isAsset ? IMMUTABLE : REVALIDATE,
      'x-content-type-options': 'nosniff',
      ...(file.endsWith('.html') && { 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' }),
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
    return true;
  };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
