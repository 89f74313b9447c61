/**
 * Validates one NetworkPolicy object (plain YAML/JSON) the way the Kubernetes API server does on
 * create, and reports every problem, each with the server's field path and message. On top of the
 * server's rules it reports what the server would refuse to decode (unknown fields, wrong types,
 * a map where a list belongs) with the field path, which the server does not give.
 *
 * Follows these public sources (behaviour only, no code copied):
 * - kubernetes/kubernetes pkg/apis/networking/validation/validation.go: ValidateNetworkPolicy,
 *   ValidateNetworkPolicySpec, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock
 * - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
 *   generic.go: ValidateObjectMeta (NameIsDNSSubdomain, ValidateNamespaceName = DNS label, labels,
 *   annotations, finalizers, owner references)
 * - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go:
 *   ValidateLabelSelector, ValidateLabelSelectorRequirement, ValidateLabels (errors on the map path)
 * - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go:
 *   how each error prints (`Invalid value: ...`, `Required value`, `Forbidden: ...`)
 * - kubernetes/kubernetes pkg/apis/core/validation: IsValidCIDRForLegacyField (strict vs legacy)
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import {
  apiCidrErrors,
  apiLabelValueErrors,
  apiPortNameErrors,
  apiPortNumErrors,
  apiQualifiedNameErrors,
  formatGoIp,
  formatGoIpNet,
  goIpNetContains,
  goIpNetStrictlyContains,
  GoIpNet,
  isIpv4Mapped,
  parseGoCidr,
} from '../../model/apivalidation';
import type { ValidateOptions, ValidationIssue } from './issue';
import { validateLabel } from './private/object-meta';
import { child, goQuote, goStringSlice, index, Report } from './private/report';
import { TypeMeta, validateEnvelope } from './private/type-meta';
import {
  isMap,
  readInt32,
  readIntOrString,
  readList,
  readMap,
  readString,
  readStringList,
  readStringMap,
  Shape,
} from './private/structure';

/** The API version that serves NetworkPolicy. */
export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Checks a NetworkPolicy object against the API server's validation and returns every issue
 * found, in the server's order (metadata, then `podSelector`, ingress rules, egress rules,
 * `policyTypes`). An empty list means the server would accept it.
 *
 * @param obj the object as parsed from YAML or JSON
 * @example
 * validateNetworkPolicy({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
 *   metadata: { name: 'db' }, spec: { policyTypes: ['ingress'] } });
 * // [{ code: 'field.not-supported', path: 'spec.policyTypes[0]',
 * //    message: 'Unsupported value: "ingress": supported values: "Ingress", "Egress"', hint: ... }]
 */
export function validateNetworkPolicy(obj: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const r = new Report();
  if (!validateEnvelope(r, obj, TYPE_META, TOP, { namespaced: true })) return r.issues;
  const spec = readMap(r, 'spec', obj.spec, 'spec', SPEC);
  new SpecValidator(r, options).validate(spec ?? {});
  return r.issues;
}

const TYPE_META: TypeMeta = {
  kind: 'NetworkPolicy',
  apiVersion: NETWORK_POLICY_API_VERSION,
  formerVersions: { 'extensions/v1beta1': ' (it was removed in Kubernetes 1.16)' },
};

/** The spec walk, in the server's order. */
class SpecValidator {
  constructor(
    private readonly r: Report,
    private readonly options: ValidateOptions,
  ) {}

  public validate(spec: Record<string, unknown>): void {
    const r = this.r;
    this.selector('spec.podSelector', spec.podSelector, 'podSelector');
    for (const direction of ['ingress', 'egress'] as const) {
      const path = `spec.${direction}`;
      const rules = readList(r, path, spec[direction], `${direction} rules`, `${direction} rule`) ?? [];
      rules.forEach((rule, i) => this.rule(index(path, i), rule, direction));
    }
    this.policyTypes(spec.policyTypes);
  }

  private rule(path: string, value: unknown, direction: 'ingress' | 'egress'): void {
    const r = this.r;
    const rule = readMap(r, path, value, `an ${direction} rule`, direction === 'ingress' ? INGRESS_RULE : EGRESS_RULE) ?? {};
    const ports = readList(r, child(path, 'ports'), rule.ports, 'ports', 'port') ?? [];
    ports.forEach((p, i) => this.port(index(child(path, 'ports'), i), p));
    const peersField = direction === 'ingress' ? 'from' : 'to';
    const peers = readList(r, child(path, peersField), rule[peersField], 'peers', 'peer') ?? [];
    peers.forEach((p, i) => this.peer(index(child(path, peersField), i), p, peersField));
  }

  private port(path: string, value: unknown): void {
    const r = this.r;
    const port = readMap(r, path, value, 'a port', PORT) ?? {};
    const protocol = readString(r, child(path, 'protocol'), port.protocol);
    if (typeof protocol === 'string' && !PROTOCOLS.includes(protocol)) {
      const upper = protocol.toUpperCase();
      const hint = PROTOCOLS.includes(upper)
        ? `protocol names are case-sensitive: write "${upper}"`
        : protocol === ''
          ? 'leave "protocol" out for TCP, or write "TCP", "UDP" or "SCTP"'
          : undefined;
      r.notSupported(child(path, 'protocol'), goQuote(protocol), PROTOCOLS, hint);
    }
    const number = readIntOrString(r, child(path, 'port'), port.port, 'a port number or a port name');
    const endPort = readInt32(r, child(path, 'endPort'), port.endPort);
    if (number === false) return;
    const endPath = child(path, 'endPort');
    if (number !== undefined && 'int' in number) {
      for (const e of apiPortNumErrors(number.int)) r.invalid(child(path, 'port'), String(number.int), e);
      if (typeof endPort === 'number') {
        if (endPort < number.int)
          r.invalid(
            endPath,
            String(endPort),
            'must be greater than or equal to `port`',
            `endPort is the last port of the range starting at ${number.int}`,
          );
        for (const e of apiPortNumErrors(endPort)) r.invalid(endPath, String(endPort), e);
      }
    } else if (number !== undefined) {
      if (typeof endPort === 'number') {
        r.invalid(
          endPath,
          String(endPort),
          'may not be specified when `port` is non-numeric',
          `a range needs a numeric start: replace ${goQuote(number.str)} with the first port number of the range`,
        );
      }
      const digits = /^[0-9]+$/.test(number.str);
      const hint = digits ? `a quoted number is a port name: write ${number.str} without quotes` : undefined;
      for (const e of apiPortNameErrors(number.str)) r.invalid(child(path, 'port'), goQuote(number.str), e, hint);
    } else if (typeof endPort === 'number') {
      r.invalid(
        endPath,
        String(endPort),
        'may not be specified when `port` is not specified',
        'add "port" with the first port of the range',
      );
    }
  }

  private peer(path: string, value: unknown, field: 'from' | 'to'): void {
    const r = this.r;
    if (value !== null && value !== undefined && !isMap(value)) {
      readMap(r, path, value, 'a peer', PEER_FROM);
      return;
    }
    const peer = readMap(r, path, value, 'a peer', field === 'from' ? PEER_FROM : PEER_TO) ?? {};
    const present = (v: unknown) => v !== undefined && v !== null;
    let count = 0;
    if (present(peer.podSelector)) {
      count++;
      this.selector(child(path, 'podSelector'), peer.podSelector, 'podSelector');
    }
    if (present(peer.namespaceSelector)) {
      count++;
      this.selector(child(path, 'namespaceSelector'), peer.namespaceSelector, 'namespaceSelector');
    }
    if (present(peer.ipBlock)) {
      count++;
      this.ipBlock(child(path, 'ipBlock'), peer.ipBlock);
    }
    if (count === 0) {
      const nulls = Object.keys(NULL_PEER_FIX).filter((k) => k in peer && peer[k] === null);
      const hint =
        nulls.length > 0
          ? `"${nulls[0]}:" with nothing after it is null, which counts as absent; ${NULL_PEER_FIX[nulls[0]]}`
          : `give podSelector, namespaceSelector or ipBlock; to match every peer, leave out "${field}"`;
      r.required(path, 'must specify a peer', hint);
    } else if (count > 1 && present(peer.ipBlock)) {
      r.forbidden(path, 'may not specify both ipBlock and another peer', 'make them separate peers: start each with "- "');
    }
  }

  private ipBlock(path: string, value: unknown): void {
    const r = this.r;
    const block = readMap(r, path, value, 'an ipBlock', IP_BLOCK);
    if (!block) return;
    const cidrPath = child(path, 'cidr');
    const cidr = readString(r, cidrPath, block.cidr);
    const excepts = readStringList(r, child(path, 'except'), block.except, 'CIDRs') ?? [];
    if (cidr === false) return;
    if (!cidr) {
      r.required(cidrPath, '', 'give the address range, e.g. "cidr: 10.0.0.0/16"');
      return;
    }
    this.cidr(cidrPath, cidr);
    const net = parseGoCidr(cidr);
    if (!net) return;
    for (const [i, ex] of excepts) {
      const exPath = index(child(path, 'except'), i);
      this.cidr(exPath, ex);
      const exNet = parseGoCidr(ex);
      if (exNet && !goIpNetStrictlyContains(net, exNet)) {
        r.invalid(exPath, goQuote(ex), 'must be a strict subset of `cidr`', exceptHint(net, exNet));
      }
    }
  }

  private cidr(path: string, value: string): void {
    for (const e of apiCidrErrors(value, { legacy: this.options.legacyCidrs })) {
      this.r.invalid(path, goQuote(value), e, cidrHint(value, e));
    }
  }

  private selector(path: string, value: unknown, what: string): void {
    const r = this.r;
    const sel = readMap(r, path, value, what, SELECTOR) ?? {};
    const labelsPath = child(path, 'matchLabels');
    for (const [k, v] of readStringMap(r, labelsPath, sel.matchLabels, 'matchLabels') ?? []) validateLabel(r, labelsPath, k, v);
    const exprsPath = child(path, 'matchExpressions');
    const exprs = readList(r, exprsPath, sel.matchExpressions, 'selector requirements', 'requirement') ?? [];
    exprs.forEach((x, i) => this.requirement(index(exprsPath, i), x));
  }

  private requirement(path: string, value: unknown): void {
    const r = this.r;
    const req = readMap(r, path, value, 'a selector requirement', REQUIREMENT) ?? {};
    const operator = readString(r, child(path, 'operator'), req.operator);
    const key = readString(r, child(path, 'key'), req.key);
    const values = readStringList(r, child(path, 'values'), req.values, 'values');
    // a values field of the wrong type is reported above; do not count it as empty as well
    const count = values?.length;
    if (operator !== false) {
      const op = operator ?? '';
      if (op === 'In' || op === 'NotIn') {
        if (count === 0)
          r.required(
            child(path, 'values'),
            "must be specified when `operator` is 'In' or 'NotIn'",
            'list the values to match, or use Exists',
          );
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (count !== undefined && count > 0)
          r.forbidden(
            child(path, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            'remove "values", or use In to match them',
          );
      } else {
        const same = OPERATORS.find((o) => o.toLowerCase() === op.toLowerCase());
        const hint = same ? `operators are case-sensitive: write "${same}"` : 'use In, NotIn, Exists or DoesNotExist';
        r.invalid(child(path, 'operator'), goQuote(op), 'not a valid selector operator', hint);
      }
    }
    if (key !== false) {
      for (const e of apiQualifiedNameErrors(key ?? '')) r.invalid(child(path, 'key'), goQuote(key ?? ''), e);
    }
    for (const [j, v] of values ?? []) {
      for (const e of apiLabelValueErrors(v)) r.invalid(index(child(path, 'values'), j), goQuote(v), e);
    }
  }

  private policyTypes(value: unknown): void {
    const r = this.r;
    const path = 'spec.policyTypes';
    const list = readList(r, path, value, 'policy types', 'policy type');
    if (!list) return;
    if (list.length > POLICY_TYPES.length) {
      const shown = list.map((v) => (typeof v === 'string' ? v : v === null ? '' : String(v)));
      r.invalid(
        path,
        goStringSlice('networking.PolicyType', shown),
        'may not specify more than two policyTypes',
        'list each of Ingress and Egress at most once',
      );
      return;
    }
    list.forEach((v, i) => {
      const t = readString(r, index(path, i), v);
      if (t === false) return;
      const type = t ?? '';
      if (POLICY_TYPES.includes(type)) return;
      const same = POLICY_TYPES.find((p) => p.toLowerCase() === type.toLowerCase());
      r.notSupported(index(path, i), goQuote(type), POLICY_TYPES, same ? `policy types are case-sensitive: write "${same}"` : undefined);
    });
  }
}

/** Advice for a CIDR the server rejects. */
function cidrHint(value: string, error: string): string | undefined {
  const net = parseGoCidr(value);
  if (!net) {
    if (value.includes('/')) return undefined;
    if (parseGoCidr(`${value}/32`)) return `add the prefix length: "${value}/32" for the single address`;
    if (parseGoCidr(`${value}/128`)) return `add the prefix length: "${value}/128" for the single address`;
    if (/[a-zA-Z]/.test(value) && /^[a-zA-Z0-9.-]+$/.test(value)) {
      return 'NetworkPolicy matches IP addresses, not host names: give the address range as a CIDR';
    }
    return undefined;
  }
  if (error.startsWith('must not have bits set')) {
    return `write "${formatGoIpNet(net)}" for the whole range, or "${formatGoIp(net.ip)}/${net.bits}" for the single address`;
  }
  if (error.startsWith('must not have an IPv4-mapped')) {
    return net.ones >= 96 ? `write the IPv4 CIDR "${formatGoIp(net.network)}/${net.ones - 96}"` : undefined;
  }
  if (error.startsWith('must not have leading 0s')) return `write "${formatGoIpNet(net)}"`;
  return undefined;
}

/** Advice for an except that is not a strict subset of its cidr. */
function exceptHint(cidr: GoIpNet, except: GoIpNet): string {
  const family = (n: GoIpNet) => (n.bits === 32 || isIpv4Mapped(n.network) ? 4 : 6);
  if (family(cidr) !== family(except)) {
    return `the except is IPv${family(except)} but the cidr is IPv${family(cidr)}; an except must lie inside the cidr`;
  }
  if (goIpNetContains(cidr, except.network)) {
    return `an except must be smaller than the cidr ${formatGoIpNet(cidr)}; to exclude all of it, remove the peer`;
  }
  return `an except must lie inside the cidr ${formatGoIpNet(cidr)}; remove it, or fix the cidr`;
}

const NULL_PEER_FIX: Record<string, string> = {
  podSelector: 'write "podSelector: {}" to select every pod of the policy\'s namespace',
  namespaceSelector: 'write "namespaceSelector: {}" to select every namespace',
  ipBlock: 'give it a "cidr"',
};

const TOP: Shape = {
  fields: ['apiVersion', 'kind', 'metadata', 'spec'],
  misplaced: Object.fromEntries([
    ...['podSelector', 'ingress', 'egress', 'policyTypes'].map((f) => [f, `"${f}" belongs under "spec"`]),
    ...['name', 'namespace', 'labels', 'annotations'].map((f) => [f, `"${f}" belongs under "metadata"`]),
    ['status', 'NetworkPolicy has no status (it was removed in Kubernetes 1.28); remove it'],
  ]),
};

const SPEC: Shape = {
  fields: ['podSelector', 'ingress', 'egress', 'policyTypes'],
  misplaced: {
    matchLabels: '"matchLabels" belongs under "podSelector"',
    matchExpressions: '"matchExpressions" belongs under "podSelector"',
    from: '"from" belongs in an ingress rule: "ingress: [{from: [...]}]"',
    to: '"to" belongs in an egress rule: "egress: [{to: [...]}]"',
    ports: '"ports" belongs in an ingress or egress rule',
    name: '"name" belongs under "metadata"',
    namespace: '"namespace" belongs under "metadata"',
  },
};

const peerFieldsInRule = (peersField: string) =>
  Object.fromEntries(
    ['podSelector', 'namespaceSelector', 'ipBlock'].map((f) => [f, `"${f}" belongs in a peer: put it in a "${peersField}" list item`]),
  );
const portFieldsInRule = Object.fromEntries(
  ['port', 'protocol', 'endPort'].map((f) => [f, `"${f}" belongs in a port: put it in a "ports" list item`]),
);

const INGRESS_RULE: Shape = {
  fields: ['ports', 'from'],
  misplaced: { ...peerFieldsInRule('from'), ...portFieldsInRule, to: 'ingress rules take "from"; "to" is for egress rules' },
};

const EGRESS_RULE: Shape = {
  fields: ['ports', 'to'],
  misplaced: { ...peerFieldsInRule('to'), ...portFieldsInRule, from: 'egress rules take "to"; "from" is for ingress rules' },
};

const PORT: Shape = {
  fields: ['protocol', 'port', 'endPort'],
  misplaced: {
    targetPort: 'NetworkPolicy ports have no targetPort: "port" is the port on the destination pod',
    name: 'to use a named port, write its name as the "port": "port: http"',
  },
};

const peerShape = (field: string): Shape => ({
  fields: ['podSelector', 'namespaceSelector', 'ipBlock'],
  misplaced: {
    ports: `"ports" belongs to the rule, not the peer: indent it to line up with "${field}"`,
    cidr: '"cidr" belongs under "ipBlock"',
    except: '"except" belongs under "ipBlock"',
    matchLabels: '"matchLabels" belongs under "podSelector" or "namespaceSelector"',
    matchExpressions: '"matchExpressions" belongs under "podSelector" or "namespaceSelector"',
  },
});
const PEER_FROM = peerShape('from');
const PEER_TO = peerShape('to');

const IP_BLOCK: Shape = { fields: ['cidr', 'except'] };

const SELECTOR: Shape = {
  fields: ['matchLabels', 'matchExpressions'],
  misplaced: {
    key: '"key" belongs in a "matchExpressions" list item',
    operator: '"operator" belongs in a "matchExpressions" list item',
    values: '"values" belongs in a "matchExpressions" list item',
  },
  otherwise: (field) => `labels go under "matchLabels": "matchLabels: {${field}: ...}"`,
};

const REQUIREMENT: Shape = { fields: ['key', 'operator', 'values'] };
