// Serves the built renderer (out/renderer) and nothing else. Every request path is decoded and
// resolved, then must still lie inside the renderer folder (also after following symlinks), so
// "..", "%2e%2e", encoded slashes or backslashes cannot reach the rest of the disk.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Throws a clear error at start-up when the renderer has not been built. */
export async function assertRendererBuilt(rendererDir: string): Promise<void> {
  const index = resolve(rendererDir, 'index.html');
  const found = await stat(index).catch(() => undefined);
  if (!found?.isFile()) {
    throw new Error(`${index} is missing: run "npm run build" first`);
  }
}

/**
 * The file a request path names, or undefined (answer 404) when the path is malformed, leaves
 * the renderer folder or names no regular file.
 */
export async function findStaticFile(
  rendererDir: string,
  rawPath: string,
): Promise<StaticFile | undefined> {
  const root = await realpath(rendererDir);
  const relative = decodeRequestPath(rawPath);
  if (relative === undefined) return undefined;
  const candidate = resolve(root, relative === '' ? 'index.html' : relative);
  if (!isInside(root, candidate)) return undefined;
  const real = await realpath(candidate).catch(() => undefined);
  if (real === undefined || !isInside(root, real)) return undefined;
  const info = await stat(real);
  if (!info.isFile()) return undefined;
  const contentType = contentTypes[extname(real).toLowerCase()] ?? 'application/octet-stream';
  return { body: await readFile(real), contentType };
}

/** The request path without query, decoded and relative ("" for the root), or undefined. */
function decodeRequestPath(rawPath: string): string | undefined {
  const pathOnly = rawPath.split(/[?#]/, 1)[0] ?? '';
  if (!pathOnly.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathOnly);
  } catch {
    return undefined; // malformed percent-encoding
  }
  // NUL ends C strings in the OS; a backslash is a separator on Windows. Neither is ever ours.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  return decoded.replace(/^\/+/, '');
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}
