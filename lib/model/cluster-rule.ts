/**
 * Rules of a ClusterNetworkPolicy: an action for the connections that match one of the peers
 * and one of the ports (kubernetes-sigs/network-policy-api, `apis/v1alpha2/clusternetworkpolicy_types.go`,
 * `ClusterNetworkPolicyIngressRule`, `ClusterNetworkPolicyEgressRule`,
 * `ClusterNetworkPolicyProtocol`). Unlike NetworkPolicy rules, they are read in order: the first
 * rule that matches decides, and a rule says what to do, not only what to allow.
 *
 * - Accept: the traffic is accepted in this direction; no later rule of any tier is consulted
 *   for it (the other end's ingress rules still apply to egress).
 * - Deny: the traffic is dropped; nothing else is consulted.
 * - Pass: the rest of this tier is skipped; the next tier decides (from the Admin tier,
 *   NetworkPolicy, then the Baseline tier; from the Baseline tier, the default: allowed).
 *
 * Ports: without any, a rule matches every port and protocol. With some, it matches a connection
 * on one of them: a TCP, UDP or SCTP port number or range (`destinationPort.number`,
 * `destinationPort.range`, both ends included), or a named container port of the destination pod
 * (`destinationNamedPort`), whatever the protocol that container port declares.
 */
import { ClusterPeer, ClusterPeerKind } from './cluster-peer';
import { NetpolError, Issue } from './errors';
import { Port } from './port';
import { Direction } from './rule';
import { addBrand, hasBrand } from './brand';

const BRAND = Symbol.for('cdk8s-netpol.ClusterRule');

/** The most peers, and the most ports, one rule holds (`MaxItems=25`). */
export const MAX_RULE_ITEMS = 25;

/** The longest rule name (`MaxLength=100`). */
export const MAX_RULE_NAME_LENGTH = 100;

/** What a rule does with the connections it matches. */
export enum ClusterRuleAction {
  /** Accept the traffic; no later rule of any tier decides on it in this direction. */
  ACCEPT = 'Accept',
  /** Drop the traffic; nothing later is consulted. */
  DENY = 'Deny',
  /** Skip the rest of this tier and let the next tier decide. */
  PASS = 'Pass',
}

/** Properties of a `ClusterRule`. */
export interface ClusterRuleProps {
  /** What to do with matching connections. */
  readonly action: ClusterRuleAction;
  /**
   * The other ends: 1 to 25 peers, any of which matches. Ingress rules take `namespaces` and
   * `pods` peers only.
   */
  readonly peers: ClusterPeer[];
  /**
   * Port numbers or ranges, with their protocol (`Port.tcp(443)`, `Port.udpRange(5000, 5100)`,
   * `Port.allSctp()`, which is written as the range 1-65535). Named ports go in `namedPorts`.
   * @default - every port, unless `namedPorts` are given
   */
  readonly ports?: Port[];
  /**
   * Names of container ports of the destination pod (`destinationNamedPort`), matched whatever
   * their protocol. Not with `nodes`, `networks` or `domainNames` peers, which have no named
   * ports.
   * @default - none
   */
  readonly namedPorts?: string[];
  /**
   * The rule's name (at most 100 characters), shown by implementations in logs and status.
   * @default - none
   */
  readonly name?: string;
}

/** Properties of the action-named factories `ClusterRule.accept`, `.deny`, `.pass`. */
export interface ClusterRuleOptions {
  /** @default - every port, unless `namedPorts` are given */
  readonly ports?: Port[];
  /** @default - none */
  readonly namedPorts?: string[];
  /** @default - none */
  readonly name?: string;
}

/**
 * One ingress or egress rule of a ClusterNetworkPolicy. Immutable.
 *
 * @example
 * ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])], { name: 'cloud-metadata' });
 * ClusterRule.accept([ClusterPeer.namespace('monitoring')], { namedPorts: ['metrics'] });
 */
export class ClusterRule {
  /** Brand check that works across copies of the library. */
  public static isClusterRule(x: unknown): x is ClusterRule {
    return hasBrand(x, BRAND);
  }

  /** An Accept rule. */
  public static accept(peers: ClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.of({ ...options, action: ClusterRuleAction.ACCEPT, peers });
  }

  /** A Deny rule. */
  public static deny(peers: ClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.of({ ...options, action: ClusterRuleAction.DENY, peers });
  }

  /** A Pass rule. */
  public static pass(peers: ClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.of({ ...options, action: ClusterRuleAction.PASS, peers });
  }

  /**
   * Builds a rule and checks the API's rules for one rule: 1 to 25 peers, at most 25 ports
   * and named ports together, a name of at most 100 characters, `domainNames` in Accept rules
   * only, no named ports with `nodes`, `networks` or `domainNames` peers. Repeated peers and
   * ports are dropped, the order is kept.
   */
  public static of(props: ClusterRuleProps): ClusterRule {
    const issues: Issue[] = [];
    const action = props.action;
    if (!Object.values(ClusterRuleAction).includes(action)) {
      issues.push({
        code: 'cluster-rule.action',
        path: 'action',
        message: `action ${JSON.stringify(action)} is not supported; use Accept, Deny or Pass (ClusterRuleAction)`,
      });
    }
    if (props.name !== undefined && [...props.name].length > MAX_RULE_NAME_LENGTH) {
      issues.push({
        code: 'cluster-rule.name',
        path: 'name',
        message: `the rule name is ${[...props.name].length} characters long; the API allows at most ${MAX_RULE_NAME_LENGTH}`,
      });
    }
    const peers = dedupe(props.peers ?? [], (p) => p.key);
    if (peers.length === 0) {
      issues.push({
        code: 'cluster-rule.peers',
        path: 'peers',
        message: 'a rule needs at least one peer; to match every pod use ClusterPeer.allPods(), every address ClusterPeer.anyAddress()',
      });
    } else if (peers.length > MAX_RULE_ITEMS) {
      issues.push({
        code: 'cluster-rule.peers',
        path: 'peers',
        message: `a rule holds at most ${MAX_RULE_ITEMS} peers, this one has ${peers.length}; split it into several rules with the same action`,
      });
    }
    const ports = dedupe(props.ports ?? [], (p) => p.toString());
    const namedPorts = dedupe(props.namedPorts ?? [], (n) => n);
    issues.push(...portIssues(ports, namedPorts), ...combinationIssues(action, peers, namedPorts));
    if (issues.length > 0) throw new NetpolError(issues);
    return new ClusterRule(
      action,
      Object.freeze(peers) as ClusterPeer[],
      Object.freeze(ports) as Port[],
      Object.freeze(namedPorts) as string[],
      props.name,
    );
  }

  private constructor(
    /** What the rule does with matching connections. */
    public readonly action: ClusterRuleAction,
    /** The peers, in the order given. */
    public readonly peers: ClusterPeer[],
    /** Port numbers and ranges, in the order given. */
    public readonly ports: Port[],
    /** Named container ports, in the order given. */
    public readonly namedPorts: string[],
    /** The rule's name, if it has one. */
    public readonly name?: string,
  ) {
    addBrand(this, BRAND);
  }

  /** True if the rule matches every port and protocol (no `protocols`). */
  public get anyPort(): boolean {
    return this.ports.length === 0 && this.namedPorts.length === 0;
  }

  /**
   * The API's JSON of the rule in a direction: `name`, `action`, `from` (ingress) or `to`
   * (egress), and `protocols` when there are ports.
   */
  public toJson(direction: Direction): Record<string, unknown> {
    const peersKey = String(direction) === 'Ingress' ? 'from' : 'to';
    const out: Record<string, unknown> = {};
    if (this.name !== undefined) out.name = this.name;
    out.action = this.action;
    out[peersKey] = this.peers.map((p) => p.toJson());
    if (!this.anyPort) out.protocols = [...this.ports.map(protocolJson), ...this.namedPorts.map((n) => ({ destinationNamedPort: n }))];
    return out;
  }

  /** `Deny networks 169.254.169.254/32: all ports`, `Accept namespace monitoring: TCP 9090, port metrics`. */
  public toString(): string {
    const ports = this.anyPort ? 'all ports' : [...this.ports.map(String), ...this.namedPorts.map((n) => `port ${n}`)].join(', ');
    return `${this.action} ${this.peers.map(String).join(' | ')}: ${ports}`;
  }
}

/**
 * One `protocols` entry for a numeric port: `{tcp: {destinationPort: {number: 80}}}`, or a
 * `range`; every port of a protocol is the range 1-65535, as the API has no other way to say it.
 */
function protocolJson(p: Port): Record<string, unknown> {
  const key = String(p.protocol).toLowerCase();
  const start = typeof p.port === 'number' ? p.port : 1;
  const end = typeof p.port === 'number' ? p.endPort : 65535;
  const destinationPort = end === undefined ? { number: start } : { range: { start, end } };
  return { [key]: { destinationPort } };
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(key(i))) seen.set(key(i), i);
  return [...seen.values()];
}

/** What the API refuses in a rule's ports: named ports among the numbered ones, empty names, too many entries. */
function portIssues(ports: readonly Port[], namedPorts: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  ports.forEach((p, i) => {
    if (p.isNamed) {
      issues.push({
        code: 'cluster-rule.named-port',
        path: `ports[${i}]`,
        message:
          `"${p.port}" is a named port; give it in namedPorts: a ClusterNetworkPolicy named port matches the ` +
          `container port of that name whatever its protocol`,
      });
    }
  });
  namedPorts.forEach((n, i) => {
    if (typeof n !== 'string' || n === '') {
      issues.push({ code: 'cluster-rule.named-port', path: `namedPorts[${i}]`, message: 'a named port cannot be empty' });
    }
  });
  if (ports.length + namedPorts.length > MAX_RULE_ITEMS) {
    issues.push({
      code: 'cluster-rule.ports',
      path: 'ports',
      message:
        `a rule holds at most ${MAX_RULE_ITEMS} ports and named ports together, this one has ` +
        `${ports.length + namedPorts.length}; split it into several rules`,
    });
  }
  return issues;
}

/** What the API refuses in a rule's combination of action, peers and named ports. */
function combinationIssues(action: ClusterRuleAction, peers: readonly ClusterPeer[], namedPorts: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const domains = peers.findIndex((p) => p.kind === ClusterPeerKind.DOMAIN_NAMES);
  if (domains >= 0 && action !== ClusterRuleAction.ACCEPT) {
    issues.push({
      code: 'cluster-rule.domain-names-action',
      path: `peers[${domains}]`,
      message:
        `domainNames peers are supported in Accept rules only, not in ${action} rules: an implementation ` +
        `cannot know every address behind a name, so it could not enforce a ${action}; deny by networks, or ` +
        `accept the names and deny the rest after them`,
    });
  }
  const unnamed = peers.findIndex((p) => p.egressOnly);
  if (unnamed >= 0 && namedPorts.length > 0) {
    issues.push({
      code: 'cluster-rule.named-port-peer',
      path: 'namedPorts',
      message:
        `named ports cannot be used with ${peers[unnamed].kind} peers, which have no named ports ` +
        `(${peers[unnamed]}); give port numbers, or move the named ports to a rule with pods or namespaces peers`,
    });
  }
  return issues;
}
