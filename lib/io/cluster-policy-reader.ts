/**
 * A ClusterNetworkPolicy object as found in a manifest (`policy.networking.k8s.io/v1alpha2`) →
 * the model's `ClusterPolicy`, and a Node object → `ClusterNode`. Refuses only what cannot be
 * modelled, with the API server's field paths (`spec.egress[0].to[1].networks[0]`); the full
 * check of the CRD's schema and rules is `netpol validate`'s.
 *
 * The fields and their meaning follow kubernetes-sigs/network-policy-api
 * `apis/v1alpha2/clusternetworkpolicy_types.go`: `networks` entries are CIDRs as the CRD's
 * `isCIDR()` rule reads them (bits beyond the prefix allowed, leading zeros and IPv4-mapped IPv6
 * not), a `pods` peer without `namespaceSelector` means every namespace.
 */
import { Cidr, IpAddress, parseIp } from '../model/cidr';
import { ClusterPeer, ClusterPeerKind } from '../model/cluster-peer';
import { ClusterPolicy, ClusterTier, MAX_CLUSTER_RULES } from '../model/cluster-policy';
import { ClusterRule, ClusterRuleAction, MAX_RULE_ITEMS, MAX_RULE_NAME_LENGTH } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { DomainName } from '../model/domain-name';
import { IssueCollector } from '../model/errors';
import { dns1123SubdomainErrors } from '../model/names';
import { ClusterNode } from '../model/node';
import { Origin } from '../model/policy';
import { Port, PROTOCOLS } from '../model/port';
import { isIpv4Mapped, parseGoCidr } from '../model/apivalidation';
import { selectorFromObject } from './policy-reader';
import { finishRead, startRead } from './private/object-read';
import { describe, isObject, listOf, objectMetadata, shown, stringMap } from './private/values';

/** Options for reading a ClusterNetworkPolicy or a Node. */
export interface ClusterPolicyReadOptions {
  /**
   * How errors and warnings name the object, e.g. `cnps.yaml#2`.
   * @default - `<origin.where>#<origin.doc>`
   */
  readonly location?: string;
  /** Called with each warning (CIDRs with bits beyond the prefix, names the API server refuses). @default - none */
  readonly onWarning?: (message: string) => void;
}

const ACTIONS: readonly string[] = Object.values(ClusterRuleAction);
const TIERS: readonly string[] = Object.values(ClusterTier);

/**
 * Reads one ClusterNetworkPolicy object into the model. Throws `NetpolError` located at
 * `file#doc`, one issue per problem, with paths such as `spec.ingress[0].from[1]`.
 *
 * @example
 * const cnp = clusterPolicyFromObject(yaml.parse(text), { where: 'cnp.yaml', doc: 0 });
 */
export function clusterPolicyFromObject(obj: unknown, origin?: Origin, options: ClusterPolicyReadOptions = {}): ClusterPolicy {
  const read = startRead(origin, options);
  const { location, warn, issues } = read;
  if (!isObject(obj)) {
    issues.add('cluster-policy.type', '', `expected a ClusterNetworkPolicy object, got ${describe(obj)}`);
    issues.throwIfAny(location);
  }
  const o = obj as Record<string, unknown>;
  const { name, labels, annotations } = metadataFromObject(o, issues);
  if (!isObject(o.spec)) {
    issues.add(
      'spec.type',
      'spec',
      o.spec === undefined || o.spec === null
        ? 'spec is required, with tier, priority and subject'
        : `spec must be an object, got ${describe(o.spec)}`,
    );
    issues.throwIfAny(location);
  }
  const spec = o.spec as Record<string, unknown>;

  const { tier, priority } = tierAndPriority(spec, issues);
  const subject = subjectFromObject(spec.subject, issues);
  const ingress = rulesFromObject(spec.ingress, 'ingress', issues, warn);
  const egress = rulesFromObject(spec.egress, 'egress', issues, warn);
  issues.throwIfAny(location);

  const nameErrors = dns1123SubdomainErrors(name as string);
  if (nameErrors.length > 0) {
    warn(`ClusterNetworkPolicy ${name as string}: the API server would refuse this name (${nameErrors.join('; ')}); analysed as written`);
  }
  return finishRead(read, 'spec', { labels, annotations, origin }, (common) =>
    ClusterPolicy.of(
      { name: name as string, tier: tier as ClusterTier, priority: priority as number, subject: subject!, ingress, egress, ...common },
      { allowInvalidNames: true },
    ),
  );
}

/** The metadata of a ClusterNetworkPolicy object; problems are added to `issues`. */
function metadataFromObject(
  o: Record<string, unknown>,
  issues: IssueCollector,
): { name: unknown; labels: Record<string, string>; annotations: Record<string, string> } {
  const { name, labels, annotations } = objectMetadata(o, 'ClusterNetworkPolicy', issues);
  return { name, labels, annotations };
}

/** The tier and priority of a spec, as written; problems are added to `issues`. */
function tierAndPriority(spec: Record<string, unknown>, issues: IssueCollector): { tier: unknown; priority: unknown } {
  const tier = spec.tier;
  if (typeof tier !== 'string' || !TIERS.includes(tier)) {
    const same = typeof tier === 'string' ? TIERS.find((t) => t.toLowerCase() === tier.toLowerCase()) : undefined;
    issues.add(
      'cluster-policy.tier',
      'spec.tier',
      tier === undefined || tier === null
        ? 'tier is required: Admin (before NetworkPolicy) or Baseline (after it)'
        : `tier ${shown(tier)} is not supported; use "Admin" or "Baseline"${same ? ' (case-sensitive)' : ''}`,
    );
  }
  const priority = spec.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 1000) {
    issues.add(
      'cluster-policy.priority',
      'spec.priority',
      priority === undefined || priority === null
        ? 'priority is required: an integer from 0 (evaluated first) to 1000'
        : `priority ${shown(priority)} is not valid; a priority is an integer from 0 (evaluated first) to 1000`,
    );
  }
  return { tier, priority };
}

function subjectFromObject(value: unknown, issues: IssueCollector): ClusterSubject | undefined {
  const path = 'spec.subject';
  if (!isObject(value)) {
    issues.add(
      'cluster-policy.subject',
      path,
      value === undefined || value === null
        ? 'subject is required: {namespaces: {...}} or {pods: {namespaceSelector, podSelector}}'
        : `subject must be an object with namespaces or pods, got ${describe(value)}`,
    );
    return undefined;
  }
  const kind = oneField(value, path, ['namespaces', 'pods'], 'a subject', issues);
  if (kind === 'namespaces') return ClusterSubject.namespaces(selectorFromObject(value.namespaces, `${path}.namespaces`, issues));
  if (kind === 'pods') {
    const pods = namespacedPods(value.pods, `${path}.pods`, issues);
    return pods && ClusterSubject.pods(pods.namespaces, pods.pods);
  }
  return undefined;
}

/** The one field of a "exactly one of" object, or undefined (reported). */
function oneField(
  value: Record<string, unknown>,
  path: string,
  fields: readonly string[],
  what: string,
  issues: IssueCollector,
): string | undefined {
  const set = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  const unknown = set.filter((k) => !fields.includes(k));
  if (unknown.length > 0) {
    issues.add(
      'cluster-policy.field',
      `${path}.${unknown[0]}`,
      `unknown field "${unknown[0]}" in ${what}; the fields here are ${fields.join(', ')}`,
    );
    return undefined;
  }
  if (set.length !== 1) {
    issues.add(
      'cluster-policy.one-of',
      path,
      set.length === 0
        ? `${what} needs exactly one of ${fields.join(', ')}`
        : `${what} takes exactly one of ${fields.join(', ')}, this one has ${set.join(' and ')}; make them separate entries`,
    );
    return undefined;
  }
  return set[0];
}

function namespacedPods(
  value: unknown,
  path: string,
  issues: IssueCollector,
): { namespaces: ReturnType<typeof selectorFromObject>; pods: ReturnType<typeof selectorFromObject> } | undefined {
  if (!isObject(value)) {
    issues.add('cluster-policy.pods', path, `pods must be an object with namespaceSelector and podSelector, got ${describe(value)}`);
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (k !== 'namespaceSelector' && k !== 'podSelector') {
      issues.add('cluster-policy.field', `${path}.${k}`, `unknown field "${k}"; the fields here are namespaceSelector, podSelector`);
    }
  }
  if (value.podSelector === undefined || value.podSelector === null) {
    issues.add(
      'cluster-policy.pods',
      `${path}.podSelector`,
      'podSelector is required; write "podSelector: {}" for every pod of the namespaces',
    );
  }
  return {
    namespaces: selectorFromObject(value.namespaceSelector, `${path}.namespaceSelector`, issues),
    pods: selectorFromObject(value.podSelector, `${path}.podSelector`, issues),
  };
}

function rulesFromObject(value: unknown, key: 'ingress' | 'egress', issues: IssueCollector, warn: (m: string) => void): ClusterRule[] {
  const path = `spec.${key}`;
  const list = listOf(value, path, issues);
  if (list.length > MAX_CLUSTER_RULES) {
    issues.add('cluster-policy.rules', path, `${key} holds ${list.length} rules; the API allows at most ${MAX_CLUSTER_RULES}`);
    return [];
  }
  return list.flatMap((r, i): ClusterRule[] => {
    const rule = ruleFromObject(r, `${path}[${i}]`, key, issues, warn);
    return rule ? [rule] : [];
  });
}

function ruleFromObject(
  value: unknown,
  path: string,
  key: 'ingress' | 'egress',
  issues: IssueCollector,
  warn: (m: string) => void,
): ClusterRule | undefined {
  const peersKey = key === 'ingress' ? 'from' : 'to';
  if (!isObject(value)) {
    issues.add('cluster-rule.type', path, `a rule must be an object with action, ${peersKey} and protocols, got ${describe(value)}`);
    return undefined;
  }
  const before = issues.issues.length;
  const { name, action } = ruleNameAndAction(value, path, key, issues);
  const peers = rulePeers(value, path, key, issues, warn);
  const { ports, namedPorts } = ruleProtocols(value, path, issues);
  if (issues.issues.length > before) return undefined;
  const typed = peers as ClusterPeer[];
  const domains = typed.findIndex((p) => p.kind === ClusterPeerKind.DOMAIN_NAMES);
  if (domains >= 0 && action !== ClusterRuleAction.ACCEPT) {
    issues.add(
      'cluster-rule.domain-names-action',
      `${path}.${peersKey}[${domains}].domainNames`,
      `domainNames is supported in Accept rules only, not in ${action as string} rules; implementations cannot enforce it there`,
    );
  }
  const unnamed = typed.findIndex((p) => p.egressOnly);
  if (unnamed >= 0 && namedPorts.length > 0) {
    issues.add(
      'cluster-rule.named-port-peer',
      path,
      `networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for ` +
        `networks/nodes/domainNames (${peersKey}[${unnamed}] is a ${typed[unnamed].kind} peer)`,
    );
  }
  if (issues.issues.length > before) return undefined;
  return issues.collect(path, () =>
    ClusterRule.of({
      action: action as ClusterRuleAction,
      peers: typed,
      ports,
      namedPorts,
      ...(name !== undefined ? { name: name as string } : {}),
    }),
  );
}

/** A rule's fields checked, and its name and action as written; problems are added to `issues`. */
function ruleNameAndAction(
  value: Record<string, unknown>,
  path: string,
  key: 'ingress' | 'egress',
  issues: IssueCollector,
): { name: unknown; action: unknown } {
  const peersKey = key === 'ingress' ? 'from' : 'to';
  for (const k of Object.keys(value)) {
    if (!['name', 'action', peersKey, 'protocols'].includes(k)) {
      issues.add(
        'cluster-policy.field',
        `${path}.${k}`,
        `unknown field "${k}" in an ${key} rule; the fields here are name, action, ${peersKey}, protocols`,
      );
    }
  }
  const name = value.name === undefined || value.name === null ? undefined : value.name;
  if (name !== undefined && typeof name !== 'string')
    issues.add('cluster-rule.name', `${path}.name`, `name must be a string, got ${describe(name)}`);
  else if (typeof name === 'string' && [...name].length > MAX_RULE_NAME_LENGTH) {
    issues.add(
      'cluster-rule.name',
      `${path}.name`,
      `name is ${[...name].length} characters long; the API allows at most ${MAX_RULE_NAME_LENGTH}`,
    );
  }
  const action = value.action;
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    issues.add(
      'cluster-rule.action',
      `${path}.action`,
      action === undefined || action === null
        ? 'action is required: Accept, Deny or Pass'
        : `action ${shown(action)} is not supported; use "Accept", "Deny" or "Pass" (case-sensitive)`,
    );
  }
  return { name, action };
}

/** A rule's peers (`from` or `to`), undefined where a peer is refused; problems are added to `issues`. */
function rulePeers(
  value: Record<string, unknown>,
  path: string,
  key: 'ingress' | 'egress',
  issues: IssueCollector,
  warn: (m: string) => void,
): Array<ClusterPeer | undefined> {
  const peersKey = key === 'ingress' ? 'from' : 'to';
  const rawPeers = value[peersKey];
  const peerList = listOf(rawPeers, `${path}.${peersKey}`, issues);
  if (rawPeers === undefined || rawPeers === null) {
    issues.add('cluster-rule.peers', `${path}.${peersKey}`, `${peersKey} is required: a list of at least one peer`);
  } else if (Array.isArray(rawPeers) && rawPeers.length === 0) {
    issues.add('cluster-rule.peers', `${path}.${peersKey}`, `${peersKey} needs at least one peer`);
  } else if (peerList.length > MAX_RULE_ITEMS) {
    issues.add(
      'cluster-rule.peers',
      `${path}.${peersKey}`,
      `${peersKey} holds ${peerList.length} peers; the API allows at most ${MAX_RULE_ITEMS}`,
    );
  }
  return peerList.map((p, j) => peerFromObject(p, `${path}.${peersKey}[${j}]`, key, issues, warn));
}

/** A rule's protocols: its numbered ports and its named ports; problems are added to `issues`. */
function ruleProtocols(value: Record<string, unknown>, path: string, issues: IssueCollector): { ports: Port[]; namedPorts: string[] } {
  const protocols = listOf(value.protocols, `${path}.protocols`, issues);
  if (Array.isArray(value.protocols) && protocols.length === 0)
    issues.add('cluster-rule.protocols', `${path}.protocols`, 'protocols needs at least one entry; leave it out to match every port');
  if (protocols.length > MAX_RULE_ITEMS)
    issues.add(
      'cluster-rule.protocols',
      `${path}.protocols`,
      `protocols holds ${protocols.length} entries; the API allows at most ${MAX_RULE_ITEMS}`,
    );
  const ports: Port[] = [];
  const namedPorts: string[] = [];
  protocols.forEach((p, j) => protocolFromObject(p, `${path}.protocols[${j}]`, ports, namedPorts, issues));
  return { ports, namedPorts };
}

function peerFromObject(
  value: unknown,
  path: string,
  key: 'ingress' | 'egress',
  issues: IssueCollector,
  warn: (m: string) => void,
): ClusterPeer | undefined {
  const fields = key === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
  if (!isObject(value)) {
    issues.add('cluster-peer.type', path, `a peer must be an object with one of ${fields.join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  if (key === 'ingress') {
    for (const k of ['nodes', 'networks', 'domainNames']) {
      if (value[k] !== undefined && value[k] !== null) {
        issues.add(
          'cluster-peer.ingress',
          `${path}.${k}`,
          `${k} peers are for egress rules only; ingress rules take namespaces and pods peers`,
        );
        return undefined;
      }
    }
  }
  const kind = oneField(value, path, fields, 'a peer', issues);
  const before = issues.issues.length;
  switch (kind) {
    case 'namespaces':
      return ClusterPeer.namespaces(selectorFromObject(value.namespaces, `${path}.namespaces`, issues));
    case 'pods': {
      const pods = namespacedPods(value.pods, `${path}.pods`, issues);
      return issues.issues.length > before || !pods ? undefined : ClusterPeer.pods(pods.namespaces, pods.pods);
    }
    case 'nodes': {
      const s = selectorFromObject(value.nodes, `${path}.nodes`, issues);
      return issues.issues.length > before ? undefined : ClusterPeer.nodes(s);
    }
    case 'networks':
      return networksFromObject(value.networks, `${path}.networks`, issues, warn);
    case 'domainNames': {
      const names = itemsOf(value.domainNames, `${path}.domainNames`, 'domain names', issues);
      const parsed = names.map((n, i) => issues.collect(`${path}.domainNames[${i}]`, () => DomainName.of(n as string)));
      if (issues.issues.length > before) return undefined;
      return issues.collect(`${path}.domainNames`, () => ClusterPeer.domainNames(parsed as DomainName[]));
    }
    default:
      return undefined;
  }
}

/** A non-empty list of at most 25 strings (reported otherwise). */
function itemsOf(value: unknown, path: string, plural: string, issues: IssueCollector): unknown[] {
  const list = listOf(value, path, issues);
  if (list.length === 0) issues.add('cluster-peer.empty', path, `${plural} needs at least one entry`);
  if (list.length > MAX_RULE_ITEMS)
    issues.add('cluster-peer.too-many', path, `${list.length} ${plural}; the API allows at most ${MAX_RULE_ITEMS} per peer`);
  list.forEach((x, i) => {
    if (typeof x !== 'string') issues.add('cluster-peer.type', `${path}[${i}]`, `expected a string, got ${describe(x)}`);
  });
  return list;
}

function networksFromObject(value: unknown, path: string, issues: IssueCollector, warn: (m: string) => void): ClusterPeer | undefined {
  const before = issues.issues.length;
  const texts = itemsOf(value, path, 'networks', issues);
  const cidrs: Cidr[] = [];
  texts.forEach((t, i) => {
    if (typeof t !== 'string') return;
    const net = parseGoCidr(t);
    if (!net || net.hasLeadingZeros || isIpv4Mapped(net.ip) || t.length > 43) {
      issues.add(
        'cidr.invalid',
        `${path}[${i}]`,
        `"${t}" is not a CIDR the API accepts (e.g. "10.0.0.0/8" or "fd00::/8"; no leading zeros, no IPv4-mapped IPv6)`,
      );
      return;
    }
    const cidr = Cidr.parse(t, { legacy: true });
    if (net.ip.some((b, k) => b !== net.network[k])) {
      warn(`${path}[${i}]: "${t}" has bits set beyond its prefix; the API accepts it and matches the whole ${cidr}`);
    }
    cidrs.push(cidr);
  });
  if (issues.issues.length > before) return undefined;
  return ClusterPeer.networks(cidrs);
}

function protocolFromObject(value: unknown, path: string, ports: Port[], namedPorts: string[], issues: IssueCollector): void {
  if (!isObject(value)) {
    issues.add(
      'cluster-rule.protocol',
      path,
      `a protocols entry must be an object with one of tcp, udp, sctp, destinationNamedPort, got ${describe(value)}`,
    );
    return;
  }
  const kind = oneField(value, path, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], 'a protocols entry', issues);
  if (kind === undefined) return;
  if (kind === 'destinationNamedPort') {
    const n = value.destinationNamedPort;
    if (typeof n !== 'string' || n === '') {
      issues.add(
        'cluster-rule.named-port',
        `${path}.destinationNamedPort`,
        typeof n === 'string'
          ? 'destinationNamedPort is empty, which implementations read as an entry with no field at all; give a container port name'
          : `destinationNamedPort must be a container port name, got ${describe(n)}`,
      );
      return;
    }
    namedPorts.push(n);
    return;
  }
  const protocol = PROTOCOLS.find((p) => String(p).toLowerCase() === kind)!;
  const body = value[kind];
  const p = `${path}.${kind}`;
  if (!isObject(body) || !isObject(body.destinationPort)) {
    issues.add(
      'cluster-rule.protocol',
      `${p}.destinationPort`,
      `${kind} needs a destinationPort: {number: <port>} or {range: {start, end}}`,
    );
    return;
  }
  const dp = body.destinationPort;
  const dpKind = oneField(dp, `${p}.destinationPort`, ['number', 'range'], 'a destinationPort', issues);
  if (dpKind === 'number') {
    const n = dp.number;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
      issues.add(
        'cluster-rule.port',
        `${p}.destinationPort.number`,
        `port ${shown(n)} is not valid; a port number is an integer from 1 to 65535`,
      );
      return;
    }
    ports.push(Port.of(protocol, n));
  } else if (dpKind === 'range') {
    const r = dp.range;
    const start = isObject(r) ? r.start : undefined;
    const end = isObject(r) ? r.end : undefined;
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
    if (!ok(start) || !ok(end) || (start as number) >= (end as number)) {
      issues.add(
        'cluster-rule.port',
        `${p}.destinationPort.range`,
        `a range needs start and end, integers from 1 to 65535 with start less than end, got ` +
          `${isObject(r) ? `start ${shown(start)}, end ${shown(end)}` : describe(r)}`,
      );
      return;
    }
    // the whole range is how the API says "every port of the protocol"
    ports.push(start === 1 && end === 65535 ? Port.of(protocol) : Port.of(protocol, start as number, end as number));
  }
}

/**
 * Reads a Node object (name, labels, the IP addresses of `status.addresses`); undefined for any
 * other kind. Host names among the addresses are left out; an InternalIP or ExternalIP that is
 * not an IP address is passed over with a warning.
 */
export function nodeFromObject(obj: unknown, origin?: Origin, options: ClusterPolicyReadOptions = {}): ClusterNode | undefined {
  if (!isObject(obj) || obj.kind !== 'Node') return undefined;
  const read = startRead(origin, options);
  const { location, warn, issues } = read;
  const metadata = isObject(obj.metadata) ? obj.metadata : undefined;
  if (!metadata || typeof metadata.name !== 'string' || metadata.name === '')
    issues.add('metadata.name', 'metadata.name', 'name is required');
  const labels = stringMap(metadata?.labels, 'metadata.labels', issues);
  issues.throwIfAny(location);
  const addresses: IpAddress[] = [];
  const status = isObject(obj.status) ? obj.status : {};
  listOf(status.addresses, 'status.addresses', issues).forEach((a, i) => {
    if (!isObject(a) || typeof a.address !== 'string') return;
    try {
      const ip = parseIp(a.address, { legacy: true });
      if (!addresses.some((o) => o.family === ip.family && o.value === ip.value)) addresses.push(ip);
    } catch {
      if (a.type === 'InternalIP' || a.type === 'ExternalIP') warn(`status.addresses[${i}]: "${a.address}" is not an IP address; ignored`);
    }
  });
  issues.throwIfAny(location);
  return { name: metadata!.name as string, labels, addresses, ...(origin ? { origin } : {}) };
}
