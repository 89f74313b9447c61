/** Shared helpers of the lint tests: fixture paths and finding filters. */
import * as path from 'path';
import { Finding, lintFiles, LintFilesOptions } from '../../../lib/check/lint';
import { objectName } from '../../../lib/check/lint/finding';

/** The folder of the lint fixtures. */
export const FIXTURES = path.resolve(__dirname, '../../fixtures/lint');

/** A fixture file's path. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The findings of one rule in a fixture. */
export function findingsOf(rule: string, name: string, options: LintFilesOptions = {}): Finding[] {
  return lintFiles([fixture(name)], options).filter((f) => f.ruleId === rule);
}

/** The parts of a finding that tests compare: object, path, message, and the line. */
export function brief(f: Finding): { object: string; path: string; message: string; line?: number } {
  const object = objectName(f.object);
  return { object, path: f.path, message: f.message, ...(f.location?.line !== undefined ? { line: f.location.line } : {}) };
}
