/**
 * Jest matchers that state what a chart's policies allow, checked by the analyzer with the
 * exact Kubernetes semantics — without synthesizing YAML:
 *
 *   expect(chart).toAllow({ from: 'wordpress', to: 'mysql', port: 3306 });
 *   expect(chart).toDeny({ from: 'web', to: 'db' });
 *   expect(chart).toAllowExactly(['wordpress -> mysql TCP 3306', ...]);
 *
 * The received value is anything `modelOf` reads: a construct, a manifest path or paths, or a
 * `FlowModel`.
 */
import * as path from 'path';
import { ConnectionSet } from '../model/connection-set';
import { DirectionVerdict, Explanation } from '../analysis/explanation';
import { NetpolError } from '../model/errors';
import { Reach } from '../model/reach';
import { Direction } from '../model/rule';
import { checkSource, FlowComparison, FlowSpace } from './flows';
import { EndpointSet, modelOf, ModelTarget } from './model';
import { connectionsOfPort, formatConnections, formatReach, PortLike } from './private/connections';
import { Protocol } from '../model/port';

export type { PortLike } from './private/connections';

/**
 * One flow to check: every pair of `from` and `to` (names as in `FlowModel`: a tier, a
 * `namespace/name`, `namespace/*`, `*`, `outside`, an IP or CIDR, and as `to` only a domain
 * name such as `api.stripe.com`).
 */
export interface FlowQuery {
  readonly from: string;
  readonly to: string;
  /**
   * The port: `5432` (TCP), `'5432/TCP'`, `'53/UDP'`, `'32000-32768/TCP'`, or a `Port`
   * (`Port.tcp(5432)`, `Port.tcpRange(...)`, `Port.allUdp()`, `Port.named('metrics')` for the
   * port the destination names so, whichever number it is); a range stands for all of its ports.
   * @default - any port: `toAllow` asks that something is allowed, `toDeny` that nothing is
   */
  readonly port?: PortLike;
  /**
   * `toAllow` only: also pass where the answer depends on something the analysis does not know
   * (a named port of pods whose container ports are unknown, a namespace's labels, a pod IP).
   * `toDeny` always fails on such an answer.
   * @default false - an answer that depends is not "allowed"
   */
  readonly acceptDepends?: boolean;
}

/** Options of `toAllowExactly`. */
export interface ExactOptions {
  /**
   * Compare only the flows with an end in these namespaces.
   * @default - the namespaces of the target's policies (`FlowModel.namespaces`)
   */
  readonly namespaces?: readonly string[];
}

/** The part of jest's matcher context the matchers read. */
export interface NetpolMatcherContext {
  /** True under `.not`. */
  readonly isNot?: boolean;
}

/** What a matcher returns to jest. */
export interface NetpolMatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

declare global {
  // Declarations for users of @types/jest, merged into jest's own `Matchers`; the type
  // parameters must be those of @types/jest for the declarations to merge.
  /* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
     -- the shape of @types/jest's declarations */
  namespace jest {
    interface Matchers<R, T = {}> {
      /* eslint-enable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type */
      /**
       * Passes if the policies allow the flow for every pair of `from` and `to`: on `port`
       * (every port of it), or on some port when no port is given. An answer that depends on
       * something unknown fails, with its condition, unless `acceptDepends` is set. The failure
       * explains which policies isolate each end and what each rule lacks. `to` may be a
       * domain name, which only ClusterNetworkPolicy `domainNames` peers match.
       * @example expect(chart).toAllow({ from: 'wordpress', to: 'mysql', port: 3306 });
       */
      toAllow(flow: FlowQuery): R;
      /**
       * Passes if the policies deny the flow for every pair of `from` and `to`: on `port`
       * (every port of it), or on every port when no port is given. An answer that depends on
       * something unknown fails, with its condition. The failure names the rule that allows it.
       * @example expect(chart).toDeny({ from: 'web', to: 'db' });
       */
      toDeny(flow: FlowQuery): R;
      /**
       * Passes if the allowed flows — between the pod groups and the addresses outside the
       * cluster, at least one end in a namespace under test — are exactly the listed ones:
       * `'<from> -> <to> <connections>'`, e.g. `'wordpress -> mysql TCP 3306'`,
       * `'* -> kube-system/kube-dns UDP 53, TCP 53'`, `'outside -> web TCP 80,443'`, and what
       * depends on something unknown with its port name or condition: `'0.0.0.0/0 -> web TCP metrics'`,
       * `'outside -> db TCP 6379 if source namespace matches project=myproject'`, and to a
       * domain name: `'backend -> api.stripe.com TCP 443'`. The failure lists the missing and
       * extra flows and prints the allowed ones to copy.
       */
      toAllowExactly(flows: readonly string[], options?: ExactOptions): R;
    }
  }
}

/** What one pair allows of the wanted connections. */
interface PairOutcome {
  readonly from: number;
  readonly to: number;
  /** Everything the pair allows, in three values. */
  readonly reach: Reach;
  /** The wanted connections as they read for this pair (port names resolved where known). */
  readonly wanted: Reach;
  /** What the pair allows of `wanted`. */
  readonly open: Reach;
}

interface QueryOutcome {
  readonly description: string;
  readonly space: FlowSpace;
  readonly pairs: readonly PairOutcome[];
  /** The query's port, or undefined for any port. */
  readonly port?: Reach;
}

function evaluate(received: unknown, query: FlowQuery, matcher: string): QueryOutcome {
  if (typeof query !== 'object' || query === null || typeof query.from !== 'string' || typeof query.to !== 'string') {
    throw NetpolError.ofValue(
      'flow.query',
      `${matcher} takes { from, to, port? } with endpoint names, e.g. { from: 'web', to: 'db', port: 5432 }; got ${JSON.stringify(query)}`,
    );
  }
  const model = modelOf(received as ModelTarget);
  const port = query.port === undefined ? undefined : connectionsOfPort(query.port);
  const from = checkSource(model.resolve(query.from));
  const to = model.resolve(query.to);
  const space = new FlowSpace(model, [...from.addresses, ...to.addresses], to.domains);
  const pairs: PairOutcome[] = [];
  const tos = space.expand(to);
  for (const i of space.expand(from)) {
    for (const j of tos) {
      if (!space.pairable(i, j)) continue;
      const reach = space.allowed(i, j);
      const wanted = port ? space.resolve(i, j, port) : Reach.all();
      pairs.push({ from: i, to: j, reach, wanted, open: reach.intersect(wanted) });
    }
  }
  if (pairs.length === 0) {
    const fix =
      from.groups.length === 0 && to.groups.length === 0
        ? 'NetworkPolicy governs traffic to or from pods, so name a pod group on one end'
        : 'name other ends';
    throw NetpolError.ofValue('flow.query', `${describeQuery(from, to, port)} names no pair to check; ${fix}`);
  }
  return { description: describeQuery(from, to, port), space, pairs, ...(port ? { port } : {}) };
}

function describeQuery(from: EndpointSet, to: EndpointSet, port: Reach | undefined): string {
  return `${from.text} -> ${to.text}${port ? ` on ${connectionsText(port)}` : ''}`;
}

/** Connections for a message: `TCP 5432`, `TCP metrics`, several parts joined by `; `. */
function connectionsText(r: Reach): string {
  return r.isEmpty ? 'nothing' : formatReach(r).join('; ');
}

/** `for 2 of 6 pairs (a -> b, c -> d)`, or nothing for a single pair. */
function pairCount(o: QueryOutcome, failing: ReadonlyArray<{ from: number; to: number }>): string {
  if (o.pairs.length === 1) return '';
  const shown = failing
    .slice(0, 5)
    .map((p) => `${o.space.label(p.from)} -> ${o.space.label(p.to)}`)
    .join(', ');
  return ` for ${failing.length} of ${o.pairs.length} pairs (${shown}${failing.length > 5 ? ', …' : ''})`;
}

function explained(o: QueryOutcome, pair: { from: number; to: number }, set: ConnectionSet): string {
  return set.isEmpty ? '' : `\n\n${o.space.explain(pair.from, pair.to, set).format()}`;
}

/**
 * The conditions under which the pair allows what `part` holds beyond what is sure, in words:
 * `allowed if shop/web declares a TCP port named metrics`, alternatives joined by `; or `.
 */
function conditionOf(o: QueryOutcome, pair: { from: number; to: number }, part: Reach): string {
  const names = o.space.endNames(pair.from, pair.to);
  // the ports are said only where the alternatives differ in them
  const several = part.depends.some((d) => !d.ports.equals(part.depends[0].ports));
  const alternatives = part.depends.map((d) => {
    const facts = [
      ...d.portNames.map((n) => {
        const ports = d.ports.ranges(n.protocol);
        const whole = d.ports.allowsAllOf(n.protocol);
        const where =
          whole || ports.length === 0
            ? ''
            : ports.length === 1 && ports[0][0] === ports[0][1]
              ? ` as ${ports[0][0]}`
              : ` within ${formatConnections(d.ports).replace(/^\S+ /, '')}`;
        return `${names.destination} declares a ${n.protocol} port named ${n.name}${where}`;
      }),
      ...(d.condition.isAlways ? [] : [d.condition.describe(names)]),
    ];
    const on = d.portNames.length === 0 && several ? ` (${formatConnections(d.ports)})` : '';
    return `${facts.join(' and ')}${on}`;
  });
  return `allowed if ${alternatives.join('; or ')}`;
}

/**
 * What would settle a verdict that depends, for the failure message: the knowledge each kind of
 * unknown asks for. Which of two same-priority ClusterNetworkPolicies a network plugin applies
 * first is settled by nothing the test can give, so it adds no hint.
 */
function settleHint(part: Reach): string {
  const kinds = new Set<string>();
  for (const d of part.depends) {
    if (d.portNames.length > 0) kinds.add('ports');
    for (const f of d.condition.facts) kinds.add(f.kind);
  }
  const hints: string[] = [];
  if (kinds.has('ports'))
    hints.push(
      "the pods' container ports (a workload of the App that the tier selects, or its manifest: modelOf(target, { cluster: 'path' }))",
    );
  if (kinds.has('pod-ip')) hints.push("the range pod IPs are taken from (modelOf(target, { podCidrs: ['10.244.0.0/16'] }))");
  if (kinds.has('namespace-labels'))
    hints.push("the namespace's labels (a Namespace of the App, or its manifest: modelOf(target, { cluster: 'path' }))");
  return hints.length === 0 ? '' : `\n\nwhat the analysis needs to settle it: ${hints.join('; ')}`;
}

/** What of a pair depends on something unknown: the dependent part of what is open, or of everything. */
function dependentPart(p: PairOutcome): Reach {
  return Reach.build(ConnectionSet.none(), (p.open.isDefinite ? p.reach : p.open).depends);
}

/**
 * Why nothing at all is allowed between two ends, without a port to explain: the
 * ClusterNetworkPolicies that select each end (whose rule that decides depends on the port),
 * which NetworkPolicies isolate it, and which of their rules match the other end, on which ports.
 */
function whyNothing(o: QueryOutcome, pair: { from: number; to: number }): string {
  const e: Explanation = o.space.explain(pair.from, pair.to, ConnectionSet.port(Protocol.TCP, 1));
  const name = (v: DirectionVerdict) => o.space.model.analysis.nameOf(v.subject);
  const other = (v: DirectionVerdict) => o.space.model.analysis.nameOf(v.peer);
  const line = (v: DirectionVerdict): string[] => {
    const head = v.direction === Direction.EGRESS ? `egress from ${name(v)}` : `ingress to ${name(v)}`;
    if (!v.applies) return [`${head}: outside the cluster, so no policy restricts it`];
    const selectedBy = (v.tiers?.selectedBy ?? []).map((p) => `${p.tier} policy ${p.name} (priority ${p.priority})`);
    const tiers =
      selectedBy.length === 0 ? [] : [`${head}: selected by ${selectedBy.join(', ')}; give a port to see which rule decides it`];
    if (v.isolatedBy.length === 0)
      return [...tiers, tiers.length > 0 ? `${head}: no NetworkPolicy isolates it` : `${head}: not isolated, so everything is allowed`];
    const matching = v.rules.filter((r) => r.matchingPeers === 'any' || r.matchingPeers.length > 0 || r.dependentPeers.length > 0);
    const isolated = `${head}: isolated by ${v.isolatedBy.map((p) => p.id).join(', ')}`;
    if (matching.length === 0) return [...tiers, `${isolated}; no rule matches ${other(v)}`];
    return [
      ...tiers,
      `${isolated}; rules that match ${other(v)}:`,
      ...matching.map(
        (r) =>
          `  ${r.policy.id}, ${v.direction === Direction.INGRESS ? 'ingress' : 'egress'} rule ${r.ruleIndex}: ` +
          `${r.rule.anyPort ? 'every port' : r.rule.ports.map(String).join(', ')}`,
      ),
    ];
  };
  const title = `${o.space.model.analysis.nameOf(e.from)} -> ${o.space.model.analysis.nameOf(e.to)}: nothing is allowed`;
  return `\n\n${[title, ...[e.egress, e.ingress].flatMap(line).map((l) => `  ${l}`)].join('\n')}`;
}

function toAllow(this: NetpolMatcherContext, received: unknown, query: FlowQuery): NetpolMatcherResult {
  const o = evaluate(received, query, 'toAllow');
  const accept = query.acceptDepends === true;
  // for sure: all that is wanted is open, and nothing of it on a condition
  const sure = (p: PairOutcome) => (o.port ? p.open.equals(p.wanted) && p.open.isDefinite && !p.wanted.isEmpty : !p.reach.allowed.isEmpty);
  const maybe = (p: PairOutcome) => (o.port ? !p.open.isEmpty && p.wanted.possible.subtract(p.open.possible).isEmpty : !p.reach.isEmpty);
  const failing = o.pairs.filter((p) => !(sure(p) || (accept && maybe(p))));
  const pass = failing.length === 0;
  const message = () => {
    if (!pass) {
      const first = failing[0];
      if (maybe(first)) {
        const part = dependentPart(first);
        return (
          `expected ${o.description} to be allowed, but it depends on what the analysis does not know: ` +
          `${conditionOf(o, first, part)}${pairCount(o, failing)} (pass acceptDepends: true to accept ` +
          `that)${settleHint(part)}${explained(o, first, part.possible)}`
        );
      }
      if (!o.port)
        return `expected ${o.description} to be allowed on some port, but nothing is allowed${pairCount(o, failing)}${whyNothing(o, first)}`;
      if (first.wanted.isEmpty) {
        return `expected ${o.description} to be allowed, but ${o.space.label(first.to)} declares no such port${pairCount(o, failing)}`;
      }
      const denied = first.wanted.possible.subtract(first.open.possible);
      const what = first.open.isEmpty ? 'it is denied' : `${formatConnections(denied)} of it is denied`;
      return (
        `expected ${o.description} to be allowed, but ` +
        `${what}${pairCount(o, failing)}${explained(o, first, denied.isEmpty ? first.wanted.possible : denied)}`
      );
    }
    const first = o.pairs[0];
    const open = o.port ? first.open : first.reach;
    return `expected ${o.description} not to be allowed, but ${o.port ? 'it is' : `${connectionsText(open)} is`}${explained(o, first, open.possible)}`;
  };
  return { pass, message };
}

function toDeny(this: NetpolMatcherContext, received: unknown, query: FlowQuery): NetpolMatcherResult {
  const o = evaluate(received, query, 'toDeny');
  const failing = o.pairs.filter((p) => !p.open.isEmpty);
  const pass = failing.length === 0;
  const message = () => {
    if (!pass) {
      const first = failing[0];
      if (first.open.allowed.isEmpty) {
        return (
          `expected ${o.description} to be denied, but it depends on what the analysis does not know: ` +
          `${conditionOf(o, first, first.open)}${pairCount(o, failing)}${settleHint(first.open)}${explained(o, first, first.open.possible)}`
        );
      }
      const allowed = first.open.allowed;
      const what = o.port && first.open.equals(first.wanted) ? 'it is allowed' : `${formatConnections(allowed)} is allowed`;
      return `expected ${o.description} to be denied, but ${what}${pairCount(o, failing)}${explained(o, first, allowed)}`;
    }
    const first = o.pairs[0];
    const why = o.port ? explained(o, first, first.wanted.possible) : whyNothing(o, first);
    return `expected ${o.description} not to be denied, but it is${why}`;
  };
  return { pass, message };
}

function toAllowExactly(
  this: NetpolMatcherContext,
  received: unknown,
  flows: readonly string[],
  options: ExactOptions = {},
): NetpolMatcherResult {
  const model = modelOf(received as ModelTarget, options.namespaces ? { namespaces: options.namespaces } : {});
  const c = model.compare(flows);
  const message = () =>
    c.pass
      ? `expected the allowed flows not to be exactly the listed ones, but they are${copyable(c, model.namespaces)}`
      : differences(c, model.namespaces);
  return { pass: c.pass, message };
}

function differences(c: FlowComparison, namespaces: readonly string[]): string {
  const lines = [`expected exactly the listed flows to be allowed (namespaces under test: ${namespaces.join(', ')}), but`];
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const i of items) lines.push(`  ${i}`);
  };
  section('listed but not allowed', c.missing);
  section('allowed but not listed', c.extra);
  section('allowed on other connections than listed', c.otherPorts);
  return `${lines.join('\n')}${c.explanations.map((e) => `\n\n${e.format()}`).join('')}${copyable(c, namespaces)}`;
}

function copyable(c: FlowComparison, namespaces: readonly string[]): string {
  const list = c.allowed.length === 0 ? ['  (none)'] : c.allowed.map((f) => `  ${quote(f)},`);
  return `\n\nthe flows allowed in ${namespaces.join(', ')}, to copy into the test:\n${list.join('\n')}`;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The matchers, for `expect.extend(netpolMatchers)`: `toAllow`, `toDeny`, `toAllowExactly`.
 * Their types come with the library (merged into `jest.Matchers`).
 */
export const netpolMatchers = { toAllow, toDeny, toAllowExactly };

/** Something with jest's `expect.extend`. */
export interface ExpectLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts jest's own expect, whose matchers take any
  extend(matchers: Record<string, (this: any, received: any, ...args: any[]) => any>): void;
}

/**
 * Registers the matchers with jest: call it once, e.g. in a file listed in
 * `setupFilesAfterEnv`, or at the top of a test file.
 * @param expectFn @default - jest's global `expect`
 * @example
 * import { installNetpolMatchers } from 'cdk8s-netpol';
 * installNetpolMatchers();
 */
export function installNetpolMatchers(expectFn?: ExpectLike): void {
  const e = expectFn ?? ((globalThis as Record<string, unknown>).expect as ExpectLike | undefined);
  if (!e || typeof e.extend !== 'function') {
    throw NetpolError.ofValue(
      'flow.jest',
      'installNetpolMatchers() found no jest `expect`; call it inside a jest run (e.g. from a ' +
        'setupFilesAfterEnv file) or pass expect: installNetpolMatchers(expect)',
    );
  }
  e.extend(netpolMatchers);
}

/**
 * Absolute path of the module that registers the matchers when loaded, for
 * `setupFilesAfterEnv` in a jest configuration written in JavaScript. In an installed package
 * it is `cdk8s-netpol/build/lib/testing/setup`.
 */
export const NETPOL_JEST_SETUP: string = path.join(__dirname, 'setup');
