/**
 * The lint engine: runs every rule over policies (and, when given, the cluster they govern),
 * locates each finding, and applies the objects' suppressions.
 */
import { analyze, Analysis } from '../../analysis/analysis';
import { clusterPicture, OTHER_PODS } from '../../analysis/picture';
import { Cidr } from '../../model/cidr';
import { ClusterPolicy } from '../../model/cluster-policy';
import { Cluster, namespace as makeNamespace, Namespace, Workload, workloadId } from '../../model/cluster';
import { NetpolError, Issue } from '../../model/errors';
import { Port } from '../../model/port';
import { Policy } from '../../model/policy';
import { Direction } from '../../model/rule';
import { Finding, FindingLocation, LintObject } from './finding';
import { LintContext, LintRule, ResolvedLintOptions } from './rule';
import { RULES } from './rules';
import { LINT_SUPPRESS_NAMESPACE_ANNOTATION } from '../../model/annotations';
import { parseSuppressions, SUPPRESS_ANNOTATION } from './suppression';
import { byNamespace } from './private/by-namespace';

/** Options of `lint`. */
export interface LintOptions {
  /**
   * The cluster's pod address ranges. An ipBlock that overlaps one is reported (NP005).
   * @default - none: pod addresses are not checked
   */
  readonly podCidrs?: readonly (string | Cidr)[];
  /**
   * The cluster's service address ranges (NP005).
   * @default - none: service addresses are not checked
   */
  readonly serviceCidrs?: readonly (string | Cidr)[];
  /**
   * The ports the cluster DNS listens on, e.g. an environment's `dns.ports` (NP001). Each is a
   * single numbered port.
   * @default [Port.udp(53), Port.tcp(53)]
   */
  readonly dnsPorts?: readonly Port[];
  /**
   * Annotations of Namespace objects by namespace name, for suppressions of namespace-wide
   * findings (NP003, NP004). Policies carry their own annotations.
   * @default - none
   */
  readonly namespaceAnnotations?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Only run these rules (ids such as `NP001`).
   * @default - every rule
   */
  readonly rules?: readonly string[];
  /**
   * ClusterNetworkPolicies linted with the NetworkPolicies (NP014 to NP018), and evaluated with
   * them wherever a rule asks what is allowed.
   * @default - none
   */
  readonly clusterPolicies?: readonly ClusterPolicy[];
  /**
   * The namespace written in each ClusterNetworkPolicy's metadata, by policy name (NP018): the
   * object is cluster-scoped, so the model keeps none.
   * @default - none written
   */
  readonly clusterPolicyNamespaces?: Readonly<Record<string, string>>;
}

/**
 * Finds the usual NetworkPolicy mistakes (see `RULES`) in policies, and in the way they meet
 * the pods of the cluster: the workloads given, and, unless the cluster says it is complete
 * (`Cluster.complete`), groups made up for what the policies select and nothing given covers
 * (`clusterPicture`). Rules that need the whole cluster (NP006, NP007) run only when it is.
 *
 * Findings come in rule order, then policy order. A finding whose object carries the
 * annotation `netpol.dev/lint-suppress: "NPnnn: reason"` is returned with `suppression` set.
 * Throws `NetpolError` for invalid options (a CIDR that does not parse, a DNS port that is not
 * a single number, an unknown rule id).
 *
 * @example
 * const findings = lint(policies, cluster, { podCidrs: ['10.244.0.0/16'] });
 * for (const f of findings) console.log(`${f.ruleId} ${f.message}`);
 */
export function lint(policies: readonly Policy[], cluster?: Cluster, options: LintOptions = {}): Finding[] {
  return runLint(policies, cluster ?? { namespaces: [], workloads: [] }, options, (object) =>
    defaultLocation(policies, object, options.clusterPolicies),
  );
}

/**
 * Where a finding is located, given its object and field path.
 * @internal
 */
export type Locator = (object: LintObject, path: string) => FindingLocation | undefined;

/**
 * `lint` with a caller-supplied locator (`lintFiles` knows files, documents and lines).
 * @internal
 */
export function runLint(policies: readonly Policy[], cluster: Cluster, options: LintOptions, locate: Locator): Finding[] {
  const resolved = resolveOptions(options);
  const rules = selectRules(options.rules);
  const context = new Context(
    policies,
    cluster,
    resolved,
    options.namespaceAnnotations ?? {},
    options.clusterPolicies ?? [],
    options.clusterPolicyNamespaces ?? {},
  );
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of rule.check(context)) {
      const location = locate(f.object, f.path);
      findings.push({
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        object: f.object,
        path: f.path,
        message: f.message,
        fix: f.fix ?? rule.fix,
        ...(location ? { location } : {}),
      });
    }
  }
  return findings.map((f) => {
    const reason = suppressionReason(context.annotations(f.object), f.ruleId);
    return reason === undefined ? f : { ...f, suppression: { reason } };
  });
}

/** The suppression reason for the rule in the object's annotations, if a valid entry names it. */
function suppressionReason(annotations: Readonly<Record<string, string>>, ruleId: string): string | undefined {
  const value = annotations[SUPPRESS_ANNOTATION];
  // NP012 reports broken suppressions; it cannot be suppressed itself.
  if (value === undefined || ruleId === SUPPRESSION_RULE_ID) return undefined;
  const entry = parseSuppressions(value).entries.find((e) => e.ruleId === ruleId && e.reason.length > 0);
  return entry?.reason;
}

/** The rule that reports broken suppressions. */
const SUPPRESSION_RULE_ID = 'NP012';

function selectRules(ids: readonly string[] | undefined): readonly LintRule[] {
  if (ids === undefined) return RULES;
  const unknown = ids.filter((id) => !RULES.some((r) => r.id === id));
  if (unknown.length > 0) {
    throw NetpolError.of(
      'lint.rule',
      'rules',
      `unknown rule ${unknown.map((u) => `"${u}"`).join(', ')}; the rules are ${RULES.map((r) => r.id).join(', ')}`,
    );
  }
  return RULES.filter((r) => ids.includes(r.id));
}

function resolveOptions(options: LintOptions): ResolvedLintOptions {
  const issues: Issue[] = [];
  const cidrs = (key: 'podCidrs' | 'serviceCidrs'): Cidr[] =>
    (options[key] ?? []).flatMap((c, i) => {
      if (typeof c !== 'string') return [c];
      try {
        return [Cidr.parse(c)];
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        issues.push(...e.issues.map((x) => ({ ...x, path: `${key}[${i}]` })));
        return [];
      }
    });
  const podCidrs = cidrs('podCidrs');
  const serviceCidrs = cidrs('serviceCidrs');
  const dnsPorts = options.dnsPorts ?? [Port.udp(53), Port.tcp(53)];
  dnsPorts.forEach((p, i) => {
    if (typeof p.port !== 'number' || p.endPort !== undefined) {
      issues.push({
        code: 'lint.dns-port',
        path: `dnsPorts[${i}]`,
        message: `DNS port "${p}" must be a single port number, e.g. Port.udp(53)`,
      });
    }
  });
  if (issues.length > 0) throw new NetpolError(issues);
  return { podCidrs, serviceCidrs, dnsPorts };
}

function defaultLocation(
  policies: readonly Policy[],
  object: LintObject,
  clusterPolicies: readonly ClusterPolicy[] = [],
): FindingLocation | undefined {
  if (object.kind === 'ClusterNetworkPolicy') {
    const p = clusterPolicies.find((x) => x.name === object.name);
    return p?.origin ? { file: p.origin.where, ...(p.origin.doc !== undefined ? { doc: p.origin.doc } : {}) } : undefined;
  }
  if (object.kind === 'NetworkPolicy') {
    const p = policies.find((x) => x.namespace === object.namespace && x.name === object.name);
    return p?.origin ? { file: p.origin.where, ...(p.origin.doc !== undefined ? { doc: p.origin.doc } : {}) } : undefined;
  }
  const p = policies.find((x) => x.namespace === object.name && x.origin);
  return p?.origin ? { file: p.origin.where, ...(p.origin.doc !== undefined ? { doc: p.origin.doc } : {}) } : undefined;
}

const EDGES: Record<'egress' | 'ingress', Direction> = { egress: Direction.EGRESS, ingress: Direction.INGRESS };

class Context implements LintContext {
  public readonly cluster: Cluster;
  public readonly complete: boolean;
  public readonly known: readonly Workload[];
  public readonly pods: readonly Workload[];
  private readonly nsByName = new Map<string, Namespace>();
  private readonly analyses = new Map<string, Analysis>();
  private readonly isolation = new Map<Workload, { Ingress: Policy[]; Egress: Policy[] }>();
  private policiesOf?: Map<string, Policy[]>;

  constructor(
    public readonly policies: readonly Policy[],
    given: Cluster,
    public readonly options: ResolvedLintOptions,
    private readonly nsAnnotations: Readonly<Record<string, Readonly<Record<string, string>>>>,
    public readonly clusterPolicies: readonly ClusterPolicy[],
    private readonly cnpNamespaces: Readonly<Record<string, string>>,
  ) {
    this.complete = given.complete === true;
    this.known = given.workloads;
    this.cluster = clusterPicture(policies, { known: given, clusterPolicies });
    this.pods = this.cluster.workloads;
    for (const ns of this.cluster.namespaces) this.nsByName.set(ns.name, ns);
  }

  public writtenNamespace(policy: ClusterPolicy): string | undefined {
    return this.cnpNamespaces[policy.name];
  }

  public namespace(name: string): Namespace {
    return this.nsByName.get(name) ?? makeNamespace(name, {}, this.complete);
  }

  public isolating(pod: Workload, direction: Direction): Policy[] {
    let entry = this.isolation.get(pod);
    if (!entry) {
      this.policiesOf ??= byNamespace(this.policies);
      const selecting = (this.policiesOf.get(pod.namespace) ?? []).filter((p) => p.selects(pod));
      entry = {
        Ingress: selecting.filter((p) => p.isolates(Direction.INGRESS)),
        Egress: selecting.filter((p) => p.isolates(Direction.EGRESS)),
      };
      this.isolation.set(pod, entry);
    }
    return entry[direction];
  }

  public analysis(side: 'both' | 'egress' | 'ingress'): Analysis {
    let a = this.analyses.get(side);
    if (!a) {
      const policies = side === 'both' ? this.policies : this.policies.flatMap((p) => p.onlyDirection(EDGES[side]) ?? []);
      a = analyze(policies, this.cluster, side === 'both' ? { clusterPolicies: this.clusterPolicies } : {});
      this.analyses.set(side, a);
    }
    return a;
  }

  public podName(pod: Workload): string {
    if (!pod.selector) return workloadId(pod);
    return pod.name === OTHER_PODS ? `the other pods of ${pod.namespace}` : `pods ${pod.selector} of ${pod.namespace}`;
  }

  public annotations(object: LintObject): Readonly<Record<string, string>> {
    if (object.kind === 'Namespace') return this.namespaceAnnotations().get(object.name) ?? {};
    if (object.kind === 'ClusterNetworkPolicy') return this.clusterPolicies.find((p) => p.name === object.name)?.annotations ?? {};
    if (object.namespace === undefined) return {};
    if (!this.policyById) {
      // the first policy of each namespace and name, as a search in input order finds it
      this.policyById = new Map();
      for (const p of this.policies) if (!this.policyById.has(p.id)) this.policyById.set(p.id, p);
    }
    return this.policyById.get(`${object.namespace}/${object.name}`)?.annotations ?? {};
  }

  private policyById?: Map<string, Policy>;

  public get annotatedNamespaces(): readonly string[] {
    return [...this.namespaceAnnotations().keys()];
  }

  private mergedNamespaceAnnotations?: Map<string, Readonly<Record<string, string>>>;

  /**
   * A namespace's annotations: those of its Namespace object, with the namespace-wide
   * suppressions that its NetworkPolicies carry (`netpol.dev/lint-suppress-namespace`) added to
   * its `netpol.dev/lint-suppress` entries, for projects that do not manage Namespace objects.
   */
  private namespaceAnnotations(): Map<string, Readonly<Record<string, string>>> {
    if (!this.mergedNamespaceAnnotations) {
      const merged = new Map<string, Record<string, string>>(Object.entries(this.nsAnnotations).map(([k, v]) => [k, { ...v }]));
      for (const p of this.policies) {
        const extra = p.annotations[LINT_SUPPRESS_NAMESPACE_ANNOTATION];
        if (extra === undefined) continue;
        const a = merged.get(p.namespace) ?? {};
        a[SUPPRESS_ANNOTATION] = a[SUPPRESS_ANNOTATION] ? `${a[SUPPRESS_ANNOTATION]}; ${extra}` : extra;
        merged.set(p.namespace, a);
      }
      this.mergedNamespaceAnnotations = merged;
    }
    return this.mergedNamespaceAnnotations;
  }
}
