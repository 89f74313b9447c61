/** The version of this package, for tool descriptions in reports. */
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined | null = null;

/**
 * The `version` of the nearest `package.json` named `cdk8s-netpol` above this file (in the
 * sources and in the compiled `build/` alike); undefined if none is found.
 */
export function packageVersion(): string | undefined {
  if (cached !== null) return cached;
  cached = undefined;
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-netpol') {
        cached = pkg.version;
        break;
      }
    } catch {
      // no package.json here; keep climbing
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return cached;
}
