/**
 * SARIF 2.1.0, the format code-scanning services read: one run of the tool `netpol lint`, its
 * rules, and one result per finding with the file and line, suppressed findings carrying
 * `suppressions`. Message texts are escaped for SARIF (`sarifText`: no embedded links, no
 * control characters, long values shortened); every other string is the value as read.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { sarifText } from '../../../report/escape';
import { Finding, objectName, Severity } from '../finding';
import { packageVersion } from '../private/package-version';
import { LintRule } from '../rule';
import { RULES } from '../rules';

/** The schema the output declares. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** SARIF's levels for our severities. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The part of a SARIF log that `toSarif` writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: ReadonlyArray<{
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version?: string;
        readonly rules: ReadonlyArray<Record<string, unknown> & { readonly id: string }>;
      };
    };
    readonly results: ReadonlyArray<SarifResult>;
  }>;
}

/** One SARIF result. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: ReadonlyArray<Record<string, unknown>>;
  readonly properties: Record<string, unknown>;
  readonly suppressions?: ReadonlyArray<{ readonly kind: 'inSource'; readonly justification: string }>;
}

/**
 * The findings as a SARIF log. Every result has a physical location (the file, and the line of
 * the field, or line 1 when it is unknown) when the finding has a file, and a logical location
 * naming the object.
 */
export function toSarif(findings: readonly Finding[], rules: readonly LintRule[] = RULES): SarifLog {
  const version = packageVersion();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol lint',
            ...(version ? { version } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.cause },
              fullDescription: { text: r.explanation },
              help: { text: r.fix },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f): SarifResult => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? -1,
          level: LEVEL[f.severity],
          message: { text: sarifText(`${f.message}. Fix: ${f.fix.replace(/\.$/, '')}.`) },
          locations: [
            {
              ...(f.location
                ? { physicalLocation: { artifactLocation: { uri: toUri(f.location.file) }, region: { startLine: f.location.line ?? 1 } } }
                : {}),
              logicalLocations: [{ name: f.object.name, fullyQualifiedName: `${f.object.kind}/${objectName(f.object)}`, kind: 'resource' }],
            },
          ],
          properties: {
            object: objectName(f.object),
            kind: f.object.kind,
            fieldPath: f.path,
            ...(f.location?.doc !== undefined ? { document: f.location.doc } : {}),
            ...(f.location?.item !== undefined ? { item: f.location.item } : {}),
          },
          ...(f.suppression ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppression.reason }] } : {}),
        })),
      },
    ],
  };
}

/** The SARIF log as indented JSON text, ending in a newline. */
export function formatSarif(findings: readonly Finding[]): string {
  return `${JSON.stringify(toSarif(findings), null, 2)}\n`;
}

/**
 * The URI of a file: a `file://` URI for an absolute path, else a relative reference (forward
 * slashes, characters outside URIs escaped), which code-scanning services resolve against the
 * repository root.
 */
function toUri(file: string): string {
  // an unpaired surrogate cannot be written in UTF-8 (nor in a file name): U+FFFD, as Node writes it
  const name = file.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (path.isAbsolute(name)) return pathToFileURL(name).href;
  return encodeURI(name.split('\\').join('/')).replace(/#/g, '%23').replace(/\?/g, '%3F');
}
