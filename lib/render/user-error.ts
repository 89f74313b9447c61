/**
 * Errors raised by a project's own code (its `build(app, env)`, its app module), told as one
 * line that names the project's file and line rather than this library's frames or Node's
 * loader: `examples/shop.ts:12:7: TypeError: Cannot read properties of undefined`.
 */
import * as path from 'path';

const LIBRARY_DIRS = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..', 'bin')].map((d) => d + path.sep);

/** `file:line:column` of the first frame of `e` in the project's own code, relative to the working directory. */
export function userLocation(e: unknown): string | undefined {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  // a SyntaxError of a loaded module starts with "<file>:<line>"
  const header = /^(\/[^\n]+?|[A-Za-z]:\\[^\n]+?):(\d+)\n/.exec(stack);
  if (header && !stack.startsWith(`${(e as Error).name}:`)) return `${display(header[1])}:${header[2]}`;
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? new URL(m[1]).pathname : m[1];
    if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (LIBRARY_DIRS.some((d) => file.startsWith(d))) continue;
    return `${display(file)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** `<file:line:col>: <Name>: <message>` (first line of the message), or the message alone when no frame is the project's. */
export function describeUserError(e: unknown): string {
  const where = userLocation(e);
  const what = e instanceof Error ? `${e.name}: ${firstLine(e.message)}` : String(e);
  return where ? `${where}: ${what}` : what;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
