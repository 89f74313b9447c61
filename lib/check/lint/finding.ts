/**
 * What `netpol lint` reports: one finding per mistake, naming the rule (`NP001`…), the object
 * and field it is about, why it is a problem and how to fix it.
 */

/** How serious a finding is. `error` is a policy that does not do what it was meant to. */
export type Severity = 'error' | 'warning' | 'info';

/** Severities from the most to the least serious. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** The threshold of `--fail-on`: findings at or above it make the run fail; `never` never does. */
export type FailOn = Severity | 'never';

/** The object a finding is about: a NetworkPolicy, or a Namespace for namespace-wide findings. */
export interface LintObject {
  readonly kind: 'NetworkPolicy' | 'Namespace' | 'ClusterNetworkPolicy';
  /** The policy's namespace; undefined for a Namespace and a ClusterNetworkPolicy. */
  readonly namespace?: string;
  readonly name: string;
}

/** Where the object was read from. */
export interface FindingLocation {
  /** The file (or, for objects built in code, the construct path). */
  readonly file: string;
  /** 0-based document index in the file. @default - unknown */
  readonly doc?: number;
  /** Index in the `items` of a `List`. @default - not in a list */
  readonly item?: number;
  /** 1-based line of the field (or of the object) in the file. @default - unknown */
  readonly line?: number;
}

/** Why a finding is suppressed: the reason written in the object's annotation. */
export interface Suppression {
  readonly reason: string;
}

/** One mistake found by a lint rule. */
export interface Finding {
  /** The rule's stable id, e.g. `NP001`. */
  readonly ruleId: string;
  /** The rule's short name, e.g. `egress-without-dns`. */
  readonly ruleName: string;
  readonly severity: Severity;
  readonly object: LintObject;
  /** Field path in the object, in the API server's form (`spec.egress[0].to[1]`); empty for the object as a whole. */
  readonly path: string;
  /** One sentence: what is wrong here, quoting the values. */
  readonly message: string;
  /** One sentence: how to fix it. */
  readonly fix: string;
  /** @default - unknown (objects built in code without an origin) */
  readonly location?: FindingLocation;
  /** Set when an annotation on the object suppresses the finding. @default - not suppressed */
  readonly suppression?: Suppression;
}

/** `namespace/name` for a policy, the name for a namespace. */
export function objectName(o: LintObject): string {
  return o.kind === 'NetworkPolicy' ? `${o.namespace}/${o.name}` : o.name;
}

/** `file#doc` (`file#doc.items[i]` inside a List), or the file alone when the document is unknown. */
export function locationText(l: FindingLocation | undefined): string {
  if (!l) return '-';
  if (l.doc === undefined) return l.file;
  return `${l.file}#${l.doc}${l.item !== undefined ? `.items[${l.item}]` : ''}`;
}

/** True if `severity` is at or above the threshold. */
export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  if (threshold === 'never') return false;
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * True if the findings fail a run with `--fail-on threshold`: some finding that is not
 * suppressed is at or above the threshold.
 */
export function failsAt(findings: readonly Finding[], threshold: FailOn): boolean {
  return findings.some((f) => !f.suppression && atOrAbove(f.severity, threshold));
}
