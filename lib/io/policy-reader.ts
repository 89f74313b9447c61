/**
 * A NetworkPolicy object as found in a manifest (`networking.k8s.io/v1`) → the model's
 * `Policy`. Refuses only what cannot be modelled, with the API server's field paths; leaves
 * the full API-server validation to `netpol validate`.
 */
import { IpBlock } from '../model/cidr';
import { IssueCollector } from '../model/errors';
import { Peer } from '../model/peer';
import { Policy, Origin } from '../model/policy';
import { Port, Protocol } from '../model/port';
import { Direction, Rule } from '../model/rule';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../model/names';
import { LabelSelector, SelectorExpression, SelectorOperator } from '../model/selector';
import { finishRead, startRead } from './private/object-read';
import { describe, isObject, listOf, objectMetadata } from './private/values';

/** Options for reading a policy. */
export interface PolicyReadOptions {
  /**
   * Accept CIDRs the way API servers up to 1.35 did: host bits beyond the prefix, leading zeros.
   * @default false - CIDRs are parsed strictly, as current API servers do
   */
  readonly legacyCidrs?: boolean;
  /**
   * How errors and warnings name the object, e.g. `netpols.yaml#2.items[0]`.
   * @default - `<origin.where>#<origin.doc>`
   */
  readonly location?: string;
  /** Called with each warning (rules that policyTypes makes ineffective, names the API server refuses). @default - none */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads one NetworkPolicy object into the model.
 *
 * policyTypes becomes explicit: when it is missing or empty, Ingress always, and Egress when
 * there are egress rules (the API server's defaulting). Rules of a direction that an explicit
 * policyTypes leaves out are dropped with a warning, as Kubernetes ignores them.
 *
 * Throws `NetpolError` located at `file#doc`, one issue per problem, with paths such as
 * `spec.ingress[0].ports[0].endPort`.
 *
 * @example
 * const policy = policyFromObject(yaml.parse(text), { where: 'netpol.yaml', doc: 0 });
 */
export function policyFromObject(obj: unknown, origin?: Origin, options: PolicyReadOptions = {}): Policy {
  const read = startRead(origin, options);
  const { location, warn, issues } = read;
  const cidrOptions = { legacy: options.legacyCidrs ?? false };
  if (!isObject(obj)) {
    issues.add('policy.type', '', `expected a NetworkPolicy object, got ${describe(obj)}`);
    issues.throwIfAny(location);
  }
  const o = obj as Record<string, unknown>;
  const { name, namespace, labels, annotations } = metadataFromObject(o, issues);

  const spec = o.spec === undefined || o.spec === null ? {} : o.spec;
  if (!isObject(spec)) {
    issues.add('spec.type', 'spec', `spec must be an object, got ${describe(spec)}`);
    issues.throwIfAny(location);
  }
  const s = spec as Record<string, unknown>;
  const podSelector = selectorFromObject(s.podSelector, 'spec.podSelector', issues);

  const ingress = rulesFromSpec(s, Direction.INGRESS, issues, cidrOptions);
  const egress = rulesFromSpec(s, Direction.EGRESS, issues, cidrOptions);
  let policyTypes = policyTypesFromSpec(s, issues);
  if (issues.issues.length > 0 || !ingress || !egress) issues.throwIfAny(location);

  const explicit = Array.isArray(s.policyTypes) && s.policyTypes.length > 0;
  if (!explicit) policyTypes = egress!.length > 0 ? [Direction.INGRESS, Direction.EGRESS] : [Direction.INGRESS];
  const keep = (direction: Direction, list: Rule[]): Rule[] => {
    if (list.length === 0 || policyTypes.includes(direction)) return list;
    const key = direction.toLowerCase();
    warn(
      `spec.${key}: policyTypes ${JSON.stringify(policyTypes)} does not list ${direction}, so Kubernetes ` +
        `ignores the ${list.length} ${key} rule(s); they are left out of the analysis`,
    );
    return [];
  };
  const nameErrors = [...dns1123SubdomainErrors(name as string), ...dns1123LabelErrors(namespace as string).map((e) => `namespace ${e}`)];
  if (nameErrors.length > 0) {
    warn(
      `NetworkPolicy ${namespace}/${name as string}: the API server would refuse this name (${nameErrors.join('; ')}); analysed as written`,
    );
  }
  const [ingressRules, egressRules] = [keep(Direction.INGRESS, ingress!), keep(Direction.EGRESS, egress!)];
  return finishRead(read, '', { labels, annotations, origin }, (common) =>
    Policy.of(
      {
        name: name as string,
        namespace: namespace as string,
        podSelector,
        policyTypes,
        ingress: ingressRules,
        egress: egressRules,
        ...common,
      },
      { allowInvalidNames: true },
    ),
  );
}

/** The metadata of a NetworkPolicy object; problems are added to `issues`. */
function metadataFromObject(
  o: Record<string, unknown>,
  issues: IssueCollector,
): { name: unknown; namespace: unknown; labels: Record<string, string>; annotations: Record<string, string> } {
  let namespace: unknown;
  const { name, labels, annotations } = objectMetadata(o, 'NetworkPolicy', issues, (metadata) => {
    namespace = metadata.namespace === undefined || metadata.namespace === null ? 'default' : metadata.namespace;
    if (typeof namespace !== 'string' || namespace === '')
      issues.add('metadata.namespace', 'metadata.namespace', `namespace must be a non-empty string, got ${describe(namespace)}`);
  });
  return { name, namespace, labels, annotations };
}

/** The rules of one direction of a spec; undefined when the list itself is not a list. */
function rulesFromSpec(
  s: Record<string, unknown>,
  direction: Direction,
  issues: IssueCollector,
  cidrOptions: { legacy: boolean },
): Rule[] | undefined {
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  const list = s[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    issues.add('rule.type', `spec.${key}`, `${key} must be a list of rules, got ${describe(list)}`);
    return undefined;
  }
  return list.flatMap((r, i): Rule[] => {
    const path = `spec.${key}[${i}]`;
    if (!isObject(r)) {
      issues.add('rule.type', path, `a rule must be an object with "${peersKey}" and "ports", got ${describe(r)}`);
      return [];
    }
    const peers = listOf(r[peersKey], `${path}.${peersKey}`, issues).map((p, j) =>
      peerFromObject(p, `${path}.${peersKey}[${j}]`, issues, cidrOptions),
    );
    const ports = listOf(r.ports, `${path}.ports`, issues).map((p, j) => portFromObject(p, `${path}.ports[${j}]`, issues));
    if (peers.some((p) => p === undefined) || ports.some((p) => p === undefined)) return [];
    return [Rule.of(peers as Peer[], ports as Port[])];
  });
}

/** The policy types a spec lists, as written (the defaulting is the caller's). */
function policyTypesFromSpec(s: Record<string, unknown>, issues: IssueCollector): Direction[] {
  const policyTypes: Direction[] = [];
  if (s.policyTypes !== undefined && s.policyTypes !== null && !Array.isArray(s.policyTypes)) {
    issues.add(
      'policy.types',
      'spec.policyTypes',
      `policyTypes must be a list such as ["Ingress", "Egress"], got ${describe(s.policyTypes)}`,
    );
  } else {
    ((s.policyTypes as unknown[] | undefined) ?? []).forEach((t, i) => {
      if (t === Direction.INGRESS || t === Direction.EGRESS) policyTypes.push(t);
      else
        issues.add(
          'policy.types',
          `spec.policyTypes[${i}]`,
          `policy type ${JSON.stringify(t)} is not supported; use "Ingress" or "Egress" (case-sensitive)`,
        );
    });
  }
  return policyTypes;
}

/**
 * Reads a label selector (`matchLabels`, `matchExpressions`); a missing one selects
 * everything. Problems are added to `issues` under `path`.
 */
export function selectorFromObject(value: unknown, path: string, issues: IssueCollector): LabelSelector {
  if (value === undefined || value === null) return LabelSelector.all();
  if (!isObject(value)) {
    issues.add(
      'selector.type',
      path,
      `a label selector must be an object with matchLabels and/or matchExpressions, got ${describe(value)}`,
    );
    return LabelSelector.all();
  }
  const before = issues.issues.length;
  const matchLabels = value.matchLabels === undefined || value.matchLabels === null ? {} : value.matchLabels;
  if (!isObject(matchLabels))
    issues.add('selector.type', `${path}.matchLabels`, `matchLabels must be a map of label keys to values, got ${describe(matchLabels)}`);
  const exprs: SelectorExpression[] = [];
  listOf(value.matchExpressions, `${path}.matchExpressions`, issues).forEach((x, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (!isObject(x)) {
      issues.add('selector.type', p, `a match expression must be an object with key, operator and values, got ${describe(x)}`);
      return;
    }
    if (typeof x.key !== 'string') issues.add('selector.type', `${p}.key`, `key must be a string, got ${describe(x.key)}`);
    if (typeof x.operator !== 'string')
      issues.add('selector.type', `${p}.operator`, `operator must be one of In, NotIn, Exists, DoesNotExist, got ${describe(x.operator)}`);
    const values = listOf(x.values, `${p}.values`, issues);
    values.forEach((v, j) => {
      if (typeof v !== 'string')
        issues.add('label.value', `${p}.values[${j}]`, `value ${describe(v)} must be a string; quote numbers and booleans in YAML`);
    });
    exprs.push({
      key: x.key as string,
      operator: x.operator as SelectorOperator,
      ...(x.values === undefined || x.values === null ? {} : { values: values as string[] }),
    });
  });
  if (issues.issues.length > before) return LabelSelector.all();
  return issues.collect(path, () => LabelSelector.of(matchLabels as Record<string, string>, exprs)) ?? LabelSelector.all();
}

function peerFromObject(value: unknown, path: string, issues: IssueCollector, cidrOptions: { legacy: boolean }): Peer | undefined {
  if (!isObject(value)) {
    issues.add('peer.type', path, `a peer must be an object with podSelector, namespaceSelector or ipBlock, got ${describe(value)}`);
    return undefined;
  }
  const before = issues.issues.length;
  const podSelector =
    value.podSelector === undefined || value.podSelector === null
      ? undefined
      : selectorFromObject(value.podSelector, `${path}.podSelector`, issues);
  const namespaceSelector =
    value.namespaceSelector === undefined || value.namespaceSelector === null
      ? undefined
      : selectorFromObject(value.namespaceSelector, `${path}.namespaceSelector`, issues);
  let ipBlock: IpBlock | undefined;
  if (value.ipBlock !== undefined && value.ipBlock !== null) {
    const b = value.ipBlock;
    if (!isObject(b)) {
      issues.add('ipblock.type', `${path}.ipBlock`, `ipBlock must be an object with cidr and except, got ${describe(b)}`);
    } else if (typeof b.cidr !== 'string') {
      issues.add(
        'ipblock.cidr',
        `${path}.ipBlock.cidr`,
        b.cidr === undefined
          ? 'cidr is required in an ipBlock, e.g. "10.0.0.0/16"'
          : `cidr must be a string such as "10.0.0.0/16", got ${describe(b.cidr)}`,
      );
    } else {
      const except = listOf(b.except, `${path}.ipBlock.except`, issues);
      except.forEach((x, i) => {
        if (typeof x !== 'string')
          issues.add('ipblock.except', `${path}.ipBlock.except[${i}]`, `except entries must be CIDR strings, got ${describe(x)}`);
      });
      if (except.every((x) => typeof x === 'string')) {
        ipBlock = issues.collect(`${path}.ipBlock`, () => IpBlock.of(b.cidr as string, except as string[], cidrOptions));
      }
    }
  }
  if (issues.issues.length > before) return undefined;
  return issues.collect(path, () => Peer.raw({ podSelector, namespaceSelector, ipBlock }));
}

function portFromObject(value: unknown, path: string, issues: IssueCollector): Port | undefined {
  // the API server decodes a null list entry as an empty port entry: every TCP port
  if (value === null) return Port.allTcp();
  if (!isObject(value)) {
    issues.add('port.type', path, `a port entry must be an object with protocol, port and endPort, got ${describe(value)}`);
    return undefined;
  }
  const protocol = value.protocol === undefined || value.protocol === null ? 'TCP' : value.protocol;
  const port = value.port === null ? undefined : value.port;
  const endPort = value.endPort === null ? undefined : value.endPort;
  const before = issues.issues.length;
  if (typeof protocol !== 'string')
    issues.add('port.protocol', `${path}.protocol`, `protocol must be "TCP", "UDP" or "SCTP", got ${describe(protocol)}`);
  if (port !== undefined && typeof port !== 'number' && typeof port !== 'string')
    issues.add('port.type', `${path}.port`, `port must be a number or a port name, got ${describe(port)}`);
  if (endPort !== undefined && typeof endPort !== 'number')
    issues.add('port.type', `${path}.endPort`, `endPort must be a number, got ${describe(endPort)}`);
  if (issues.issues.length > before) return undefined;
  return issues.collect(path, () => Port.of(protocol as Protocol, port as number | string | undefined, endPort as number | undefined));
}
