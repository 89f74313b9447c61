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
import { ConnectionSet } from '../analysis/connection-set';
import { DirectionVerdict, Explanation } from '../analysis/explanation';
import { NetpolError } from '../model/errors';
import { FlowComparison, FlowSpace } from './flows';
import { EndpointSet, modelOf, ModelTarget } from './model';
import { connectionsOfPort, formatConnections, PortLike } from './private/connections';
import { Protocol } from '../model/port';

export type { PortLike } from './private/connections';

/**
 * One flow to check: every pair of `from` and `to` (names as in `FlowModel`: a tier, a
 * `namespace/name`, `namespace/*`, `*`, `outside`, an IP or CIDR).
 */
export interface FlowQuery {
  readonly from: string;
  readonly to: string;
  /**
   * The port: `5432` (TCP), `'5432/TCP'`, `'53/UDP'`, `'32000-32768/TCP'`, or a `Port`
   * (`Port.tcp(5432)`, `Port.tcpRange(...)`, `Port.allUdp()`); a range stands for all of its ports.
   * @default - any port: `toAllow` asks that something is allowed, `toDeny` that nothing is
   */
  readonly port?: PortLike;
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
  namespace jest {
    interface Matchers<R, T = {}> {
      /**
       * Passes if the policies allow the flow for every pair of `from` and `to`: on `port`
       * (every port of it), or on some port when no port is given. The failure explains
       * which policies isolate each end and what each rule lacks.
       * @example expect(chart).toAllow({ from: 'wordpress', to: 'mysql', port: 3306 });
       */
      toAllow(flow: FlowQuery): R;
      /**
       * Passes if the policies deny the flow for every pair of `from` and `to`: on `port`
       * (every port of it), or on every port when no port is given. The failure names the
       * rule that allows it.
       * @example expect(chart).toDeny({ from: 'web', to: 'db' });
       */
      toDeny(flow: FlowQuery): R;
      /**
       * Passes if the allowed flows — between the pod groups and the addresses outside the
       * cluster, at least one end in a namespace under test — are exactly the listed ones:
       * `'<from> -> <to> <connections>'`, e.g. `'wordpress -> mysql TCP 3306'`,
       * `'* -> kube-system/kube-dns UDP 53, TCP 53'`, `'outside -> web TCP 80,443'`. The failure
       * lists the missing and extra flows and prints the allowed ones to copy.
       */
      toAllowExactly(flows: readonly string[]): R;
    }
  }
}

interface QueryOutcome {
  readonly description: string;
  readonly space: FlowSpace;
  /** Every pair checked, with what is allowed and the part that breaks the expectation. */
  readonly pairs: ReadonlyArray<{ from: number; to: number; allowed: ConnectionSet }>;
  readonly wanted?: ConnectionSet;
}

function evaluate(received: unknown, query: FlowQuery, matcher: string): QueryOutcome {
  if (typeof query !== 'object' || query === null || typeof query.from !== 'string' || typeof query.to !== 'string') {
    throw NetpolError.of(
      'flow.query',
      '',
      `${matcher} takes { from, to, port? } with endpoint names, e.g. { from: 'web', to: 'db', port: 5432 }; got ${JSON.stringify(query)}`,
    );
  }
  const model = modelOf(received as ModelTarget);
  const wanted = query.port === undefined ? undefined : connectionsOfPort(query.port);
  const from = model.resolve(query.from);
  const to = model.resolve(query.to);
  const space = new FlowSpace(model, [...from.addresses, ...to.addresses]);
  const pairs: Array<{ from: number; to: number; allowed: ConnectionSet }> = [];
  const tos = space.expand(to);
  for (const i of space.expand(from)) {
    for (const j of tos) if (space.pairable(i, j)) pairs.push({ from: i, to: j, allowed: space.allowed(i, j) });
  }
  if (pairs.length === 0) {
    throw NetpolError.of(
      'flow.query',
      '',
      `${describeQuery(from, to, wanted)} names no pair to check; ${from.groups.length === 0 && to.groups.length === 0 ? 'NetworkPolicy governs traffic to or from pods, so name a pod group on one end' : 'name other ends'}`,
    );
  }
  return { description: describeQuery(from, to, wanted), space, pairs, wanted };
}

function describeQuery(from: EndpointSet, to: EndpointSet, wanted: ConnectionSet | undefined): string {
  return `${from.text} -> ${to.text}${wanted ? ` on ${formatConnections(wanted)}` : ''}`;
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
  return `\n\n${o.space.explain(pair.from, pair.to, set).format()}`;
}

/**
 * Why nothing at all is allowed between two ends, without a port to explain: which policies
 * isolate each end, and which of their rules match the other end, on which ports.
 */
function whyNothing(o: QueryOutcome, pair: { from: number; to: number }): string {
  const e: Explanation = o.space.explain(pair.from, pair.to, ConnectionSet.port(Protocol.TCP, 1));
  const name = (v: DirectionVerdict) => o.space.model.analysis.nameOf(v.subject);
  const other = (v: DirectionVerdict) => o.space.model.analysis.nameOf(v.peer);
  const line = (v: DirectionVerdict): string[] => {
    const head = v.direction === 'Egress' ? `egress from ${name(v)}` : `ingress to ${name(v)}`;
    if (!v.applies) return [`${head}: outside the cluster, so no policy restricts it`];
    if (v.isolatedBy.length === 0) return [`${head}: not isolated, so everything is allowed`];
    const matching = v.rules.filter((r) => r.matchingPeers === 'any' || r.matchingPeers.length > 0);
    const isolated = `${head}: isolated by ${v.isolatedBy.map((p) => p.id).join(', ')}`;
    if (matching.length === 0) return [`${isolated}; no rule matches ${other(v)}`];
    return [
      `${isolated}; rules that match ${other(v)}:`,
      ...matching.map(
        (r) =>
          `  ${r.policy.id}, ${v.direction.toLowerCase()} rule ${r.ruleIndex}: ${r.rule.anyPort ? 'every port' : r.rule.ports.map(String).join(', ')}`,
      ),
    ];
  };
  return `\n\n${[`${o.space.model.analysis.nameOf(e.from)} -> ${o.space.model.analysis.nameOf(e.to)}: nothing is allowed`, ...[e.egress, e.ingress].flatMap(line).map((l) => `  ${l}`)].join('\n')}`;
}

function toAllow(this: NetpolMatcherContext, received: unknown, query: FlowQuery): NetpolMatcherResult {
  const o = evaluate(received, query, 'toAllow');
  const lacking = (p: { allowed: ConnectionSet }) =>
    o.wanted ? o.wanted.subtract(p.allowed) : p.allowed.isEmpty ? ConnectionSet.all() : ConnectionSet.none();
  const failing = o.pairs.filter((p) => !lacking(p).isEmpty);
  const pass = failing.length === 0;
  const message = () => {
    if (!pass) {
      const first = failing[0];
      if (!o.wanted)
        return `expected ${o.description} to be allowed on some port, but nothing is allowed${pairCount(o, failing)}${whyNothing(o, first)}`;
      const denied = lacking(first);
      const what = denied.equals(o.wanted) ? 'it is denied' : `${formatConnections(denied)} of it is denied`;
      return `expected ${o.description} to be allowed, but ${what}${pairCount(o, failing)}${explained(o, first, denied)}`;
    }
    const first = o.pairs[0];
    const allowed = o.wanted ? o.wanted.intersect(first.allowed) : first.allowed;
    return `expected ${o.description} not to be allowed, but ${o.wanted ? 'it is' : `${formatConnections(allowed)} is`}${explained(o, first, allowed)}`;
  };
  return { pass, message };
}

function toDeny(this: NetpolMatcherContext, received: unknown, query: FlowQuery): NetpolMatcherResult {
  const o = evaluate(received, query, 'toDeny');
  const open = (p: { allowed: ConnectionSet }) => (o.wanted ? o.wanted.intersect(p.allowed) : p.allowed);
  const failing = o.pairs.filter((p) => !open(p).isEmpty);
  const pass = failing.length === 0;
  const message = () => {
    if (!pass) {
      const first = failing[0];
      const allowed = open(first);
      const what = o.wanted && allowed.equals(o.wanted) ? 'it is allowed' : `${formatConnections(allowed)} is allowed`;
      return `expected ${o.description} to be denied, but ${what}${pairCount(o, failing)}${explained(o, first, allowed)}`;
    }
    const first = o.pairs[0];
    const why = o.wanted ? explained(o, first, o.wanted) : whyNothing(o, first);
    return `expected ${o.description} not to be denied, but it is${why}`;
  };
  return { pass, message };
}

function toAllowExactly(this: NetpolMatcherContext, received: unknown, flows: readonly string[]): NetpolMatcherResult {
  const model = modelOf(received as ModelTarget);
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
    throw NetpolError.of(
      'flow.jest',
      '',
      'installNetpolMatchers() found no jest `expect`; call it inside a jest run (e.g. from a setupFilesAfterEnv file) or pass expect: installNetpolMatchers(expect)',
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
