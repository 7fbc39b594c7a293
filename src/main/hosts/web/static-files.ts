import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
};

/** A URL path as a file path; `VALIDATION` when its percent-encoding is not UTF-8. */
function decodePath(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    throw new SwarmdeckError('VALIDATION', 'The path has a malformed percent-encoding');
  }
}

/** Reads a file of the built renderer; refuses anything outside its folder. */
export async function readStatic(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | undefined> {
  const base = resolve(root);
  const relative = normalize(decodePath(urlPath)).replace(/^([/\\])+/, '');
  const file = join(base, relative === '' ? 'index.html' : relative);
  if (!file.startsWith(base + sep) && file !== base) return undefined;
  try {
    return { body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  } catch {
    // Missing, a folder, or a name the file system refuses (a NUL byte): all "not here".
    return undefined;
  }
}
