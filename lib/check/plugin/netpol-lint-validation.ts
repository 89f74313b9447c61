/**
 * `netpol lint` as a cdk8s validation plugin: `cdk8s synth` hands it the synthesized manifests,
 * it reports every finding as a violation and fails the synth when one is at or above
 * `failOn`. Declared in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./lib/check/plugin/cdk8s-plugin.js
 *     version: 0.1.0
 *     class: NetpolLintValidation
 *     properties:
 *       failOn: error
 *       podCidrs: [10.244.0.0/16]
 * ```
 *
 * The CLI's contract (cdk8s-cli `lib/plugins/validation`): the class is constructed with
 * `properties`, and `validate(context)` reads `context.manifests` (file paths), adds violations
 * through `context.report.addViolation({ ruleName, recommendation, fix, violatingResources })`
 * and must end with `context.report.submit('success' | 'failure', metadata)`.
 */
import * as path from 'path';
import { lintFiles } from '../lint/files';
import { failsAt, FailOn, Finding, objectName, SEVERITIES } from '../lint/finding';
import { summaryLine } from '../lint/format/text';
import { NetpolError } from '../../model/errors';
import { Port, Protocol } from '../../model/port';

/** The `properties:` of the plugin's entry in `cdk8s.yaml`. */
export interface NetpolLintValidationProps {
  /**
   * Fail the synth when a finding that is not suppressed is at or above this severity.
   * @default 'error'
   */
  readonly failOn?: FailOn;
  /** The cluster's pod address ranges (NP005). @default - not checked */
  readonly podCidrs?: readonly string[];
  /** The cluster's service address ranges (NP005). @default - not checked */
  readonly serviceCidrs?: readonly string[];
  /**
   * Ports of the cluster DNS (NP001): a number (UDP and TCP) or `5353/UDP`.
   * @default [53] - UDP and TCP 53
   */
  readonly dnsPorts?: ReadonlyArray<number | string>;
  /**
   * Manifests of the whole cluster the charts' policies govern (Namespaces and workloads; files
   * or folders, relative to the working directory). With them, the rules that need every pod
   * (NP006, NP007) run. Without them the rules reason about the workloads synthesized beside the
   * policies and the tiers the policies select, as part of the cluster, not all of it.
   * @default - none
   */
  readonly cluster?: readonly string[];
}

/** One resource of a violation, as cdk8s takes it. */
export interface ViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** A violation, as cdk8s takes it. */
export interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly ViolatingResource[];
}

/** The part of cdk8s' `ValidationContext` the plugin uses (so that it does not load the CLI). */
export interface ValidationContextLike {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: Violation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/**
 * The cdk8s validation plugin. Manifests are linted folder by folder: each folder of the
 * synthesized output (one per environment) is one cluster. Suppressed findings are not
 * reported; their number is in the report's metadata.
 *
 * @example
 * // cdk8s.yaml
 * // validations:
 * //   - { package: ./lib/check/plugin/cdk8s-plugin.js, version: 0.1.0, class: NetpolLintValidation }
 */
export class NetpolLintValidation {
  private readonly failOn: FailOn;
  private readonly dnsPorts?: Port[];

  /** Checks the properties; throws `NetpolError` naming the property and the fix. */
  constructor(private readonly props: NetpolLintValidationProps = {}) {
    const failOn = props.failOn ?? 'error';
    if (![...SEVERITIES, 'never'].includes(failOn)) {
      throw NetpolError.of(
        'plugin.fail-on',
        'properties.failOn',
        `failOn "${failOn}" is not a severity; use "error", "warning", "info" or "never"`,
      );
    }
    this.failOn = failOn;
    if (props.dnsPorts) this.dnsPorts = props.dnsPorts.flatMap((p, i) => dnsPort(p, i));
  }

  /** Lints the manifests, adds one violation per finding and submits the report. */
  public async validate(context: ValidationContextLike): Promise<void> {
    const byFolder = new Map<string, string[]>();
    for (const m of context.manifests) {
      const dir = path.dirname(m);
      const list = byFolder.get(dir);
      if (list) list.push(m);
      else byFolder.set(dir, [m]);
    }
    const findings: Finding[] = [];
    const problems: string[] = [];
    for (const files of byFolder.values()) {
      try {
        findings.push(
          ...lintFiles(files, {
            podCidrs: this.props.podCidrs ?? [],
            serviceCidrs: this.props.serviceCidrs ?? [],
            ...(this.dnsPorts ? { dnsPorts: this.dnsPorts } : {}),
            ...(this.props.cluster ? { cluster: [...files, ...this.props.cluster] } : {}),
          }),
        );
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        problems.push(...e.issues.map((i) => [e.where, i.path, i.message].filter((s) => s).join(': ')));
      }
    }
    for (const problem of problems) {
      context.report.addViolation({
        ruleName: 'netpol-lint: unreadable input',
        recommendation: problem,
        fix: 'correct the manifest or the plugin properties in cdk8s.yaml',
        violatingResources: [],
      });
    }
    for (const f of findings) {
      if (f.suppression) continue;
      context.report.addViolation({
        ruleName: `${f.ruleId} ${f.ruleName} (${f.severity})`,
        recommendation: f.message,
        fix: f.fix,
        violatingResources: [
          {
            resourceName: f.object.name,
            locations: [
              `${f.object.kind} ${objectName(f.object)}${f.path ? ` ${f.path}` : ''}${f.location?.line ? ` (line ${f.location.line})` : ''}`,
            ],
            manifestPath: f.location?.file ?? '',
          },
        ],
      });
    }
    const failed = problems.length > 0 || failsAt(findings, this.failOn);
    context.report.submit(failed ? 'failure' : 'success', { findings: summaryLine(findings), failOn: this.failOn });
  }
}

function dnsPort(p: number | string, i: number): Port[] {
  const m = /^([0-9]+)(?:\/(TCP|UDP|SCTP))?$/i.exec(String(p).trim());
  const n = Number(m?.[1]);
  if (!m || !(n >= 1 && n <= 65535)) {
    throw NetpolError.of(
      'plugin.dns-port',
      `properties.dnsPorts[${i}]`,
      `${JSON.stringify(p)} is not a DNS port; write a number from 1 to 65535, optionally with a protocol, e.g. 5353 or "5353/UDP"`,
    );
  }
  const protocol = m[2]?.toUpperCase() as Protocol | undefined;
  return protocol ? [Port.of(protocol, n)] : [Port.udp(n), Port.tcp(n)];
}
