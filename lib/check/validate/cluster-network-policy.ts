/**
 * Validates one ClusterNetworkPolicy object (plain YAML/JSON) the way a Kubernetes API server
 * with the network-policy-api CRD installed does on create: the CRD's OpenAPI schema and its CEL
 * rules, and ObjectMeta. Every problem is reported, each with the server's field path and
 * message.
 *
 * The schema is that of kubernetes-sigs/network-policy-api `config/crd/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml`
 * (bundle v0.2.0), or of `config/crd/standard/...` with `clusterNetworkPolicyChannel: 'standard'`,
 * which has no `nodes` and `domainNames` peers and not the named-port rule of egress rules.
 * Restated here field by field, in the order of `apis/v1alpha2/clusternetworkpolicy_types.go`:
 *
 * - spec: tier (Admin | Baseline), priority (integer 0-1000) and subject required; at most 25
 *   ingress and 25 egress rules.
 * - subject, peers, protocols, destinationPort: exactly one field (`minProperties`/`maxProperties` 1).
 * - rules: action (Accept | Deny | Pass) and from/to (1-25 peers) required, name at most 100
 *   characters, protocols 1-25 entries.
 * - networks: 1-25 CIDRs, at most 43 characters, no repeats, each `isCIDR()`: Go's
 *   `netip.ParsePrefix` without IPv4-mapped IPv6 (so leading zeros are refused, bits beyond the
 *   prefix are not).
 * - domainNames: 1-25 names, no repeats, each matching the CRD's pattern.
 * - range: start and end 1-65535 required, rule `self.start < self.end`.
 * - egress rule (experimental): no `destinationNamedPort` with networks, nodes or domainNames peers.
 *
 * The CRD does not check label selectors (keys, values, operators) nor that domainNames appear in
 * Accept rules only, as the API requires: objects that break those are accepted by the server
 * but have no defined effect. They are reported too, in our words, with codes of their own
 * (`selector.unusable`, `cluster-rule.domain-names-action`).
 *
 * @see https://network-policy-api.sigs.k8s.io/reference/spec/
 */
import { isIpv4Mapped, parseGoCidr } from '../../model/apivalidation';
import { CLUSTER_NETWORK_POLICY_API_VERSION } from '../../model/cluster-policy';
import { DOMAIN_NAME_PATTERN } from '../../model/domain-name';
import { NetpolError } from '../../model/errors';
import { LabelSelector, SelectorExpression } from '../../model/selector';
import type { ValidateOptions, ValidationIssue } from './issue';
import { validateSchema, SchemaNode } from './private/crd-schema';
import { Report } from './private/report';
import { TypeMeta, validateEnvelope } from './private/type-meta';
import { isMap } from './private/structure';

/** Which CRD channel the cluster runs. */
export type ClusterNetworkPolicyChannel = 'standard' | 'experimental';

/**
 * Checks a ClusterNetworkPolicy object against the CRD's schema and rules and returns every
 * issue found (type, metadata, then spec in the API's field order). An empty list means the
 * server would accept it and it means what it says.
 *
 * @example
 * validateClusterNetworkPolicy({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy',
 *   metadata: { name: 'p' }, spec: { tier: 'Admin', priority: 1001, subject: { namespaces: {} } } });
 * // [{ code: 'field.invalid', path: 'spec.priority',
 * //    message: 'Invalid value: 1001: spec.priority in body should be less than or equal to 1000' }]
 */
export function validateClusterNetworkPolicy(obj: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const r = new Report();
  if (!validateEnvelope(r, obj, TYPE_META, TOP, { namespaced: false, what: 'cluster-network-policy' })) return r.issues;
  if (obj.spec === undefined || obj.spec === null) r.add('field.required', 'spec', 'Required value');
  else validateSchema(r, 'spec', obj.spec, options.clusterNetworkPolicyChannel === 'standard' ? STANDARD : EXPERIMENTAL);
  return r.issues;
}

const TYPE_META: TypeMeta = {
  kind: 'ClusterNetworkPolicy',
  apiVersion: CLUSTER_NETWORK_POLICY_API_VERSION,
  formerVersions: { 'policy.networking.k8s.io/v1alpha1': ' (v1alpha1 had AdminNetworkPolicy and BaselineAdminNetworkPolicy instead)' },
};

const TOP = {
  fields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  misplaced: Object.fromEntries([
    ...['tier', 'priority', 'subject', 'ingress', 'egress'].map((f) => [f, `"${f}" belongs under "spec"`]),
    ...['name', 'labels', 'annotations'].map((f) => [f, `"${f}" belongs under "metadata"`]),
  ]),
};

/** `isCIDR()` of the Kubernetes CEL library: `netip.ParsePrefix` succeeds and the address is not IPv4-mapped IPv6. */
export function celIsCidr(text: string): boolean {
  const net = parseGoCidr(text);
  return net !== undefined && !net.hasLeadingZeros && !isIpv4Mapped(net.ip);
}

const SELECTOR_HINT =
  'the CRD does not check label selectors, so the API server accepts this, but implementations cannot ' +
  'evaluate the selector and the policy has no defined effect';

/** A label selector as the CRD has it (no checks of keys, values or operators), plus ours. */
const SELECTOR: SchemaNode = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, operator: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } },
        required: ['key', 'operator'],
      },
    },
  },
  misplaced: {
    key: '"key" belongs in a "matchExpressions" list item',
    operator: '"operator" belongs in a "matchExpressions" list item',
    values: '"values" belongs in a "matchExpressions" list item',
  },
  extra: (r, path, value) => {
    const v = value as { matchLabels?: Record<string, string>; matchExpressions?: SelectorExpression[] };
    try {
      LabelSelector.of(v.matchLabels ?? {}, v.matchExpressions ?? []);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      for (const i of e.issues) r.add('selector.unusable', `${path}.${i.path}`, i.message, SELECTOR_HINT);
    }
  },
};

const NAMESPACED_POD: SchemaNode = {
  type: 'object',
  properties: { namespaceSelector: SELECTOR, podSelector: SELECTOR },
  required: ['podSelector'],
};

const PORT_NUMBER: SchemaNode = { type: 'integer', minimum: 1, maximum: 65535 };

const DESTINATION_PORT: SchemaNode = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: {
    number: PORT_NUMBER,
    range: {
      type: 'object',
      properties: { start: PORT_NUMBER, end: PORT_NUMBER },
      required: ['end', 'start'],
      rules: [
        {
          message: 'Start port must be less than End port',
          holds: (self) => {
            const { start, end } = self as { start?: unknown; end?: unknown };
            return typeof start === 'number' && typeof end === 'number' ? start < end : undefined;
          },
        },
      ],
    },
  },
};

const PROTOCOL_PORT: SchemaNode = { type: 'object', minProperties: 1, properties: { destinationPort: DESTINATION_PORT } };

const PROTOCOLS: SchemaNode = {
  type: 'array',
  minItems: 1,
  maxItems: 25,
  items: {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    properties: { tcp: PROTOCOL_PORT, udp: PROTOCOL_PORT, sctp: PROTOCOL_PORT, destinationNamedPort: { type: 'string' } },
    misplaced: { port: 'write {tcp: {destinationPort: {number: <port>}}}', protocol: 'name the protocol as the key: tcp, udp or sctp' },
  },
};

const PEER_PROPERTIES = { namespaces: SELECTOR, pods: NAMESPACED_POD };

function peer(properties: Readonly<Record<string, SchemaNode>>, egressOnly: string): SchemaNode {
  return {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    properties,
    misplaced: Object.fromEntries(
      ['nodes', 'networks', 'domainNames'].filter((f) => !(f in properties)).map((f) => [f, egressOnly.replace('%s', f)]),
    ),
  };
}

const NETWORKS: SchemaNode = {
  type: 'array',
  minItems: 1,
  maxItems: 25,
  listSet: true,
  items: {
    type: 'string',
    maxLength: 43,
    rules: [{ message: 'Invalid CIDR format provided', holds: (self) => (typeof self === 'string' ? celIsCidr(self) : undefined) }],
  },
};

const DOMAIN_NAMES: SchemaNode = {
  type: 'array',
  minItems: 1,
  maxItems: 25,
  listSet: true,
  items: { type: 'string', pattern: DOMAIN_NAME_PATTERN },
};

const NAMED_PORT_RULE =
  'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';

function rule(direction: 'ingress' | 'egress', peerSchema: SchemaNode, namedPortRule: boolean): SchemaNode {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 100 },
      action: { type: 'string', enum: ['Accept', 'Deny', 'Pass'] },
      [peersKey]: { type: 'array', minItems: 1, maxItems: 25, items: peerSchema },
      protocols: PROTOCOLS,
    },
    required: ['action', peersKey],
    misplaced: { [direction === 'ingress' ? 'to' : 'from']: `${direction} rules take "${peersKey}"`, ports: 'ports go in "protocols"' },
    rules: namedPortRule
      ? [
          {
            message: NAMED_PORT_RULE,
            holds: (self) => {
              const r = self as { to?: unknown; protocols?: unknown };
              if (!Array.isArray(r.to) || (r.protocols !== undefined && !Array.isArray(r.protocols))) return undefined;
              const has = (o: unknown, k: string) => isMap(o) && o[k] !== undefined && o[k] !== null;
              const unnamed = r.to.some((p) => has(p, 'networks') || has(p, 'nodes') || has(p, 'domainNames'));
              const named = Array.isArray(r.protocols) && r.protocols.some((p) => has(p, 'destinationNamedPort'));
              return !(unnamed && named);
            },
          },
        ]
      : undefined,
    extra:
      direction === 'egress'
        ? (r, path, value) => {
            const v = value as { action: string; to: Array<Record<string, unknown>> };
            if (v.action === 'Accept') return;
            v.to.forEach((p, j) => {
              if (p.domainNames === undefined || p.domainNames === null) return;
              r.add(
                'cluster-rule.domain-names-action',
                `${path}.to[${j}].domainNames`,
                `domainNames is supported in Accept rules only, not in ${v.action} rules: an implementation cannot ` +
                  `know every address behind a name, so it cannot enforce a ${v.action} on one`,
                'the CRD does not enforce this, so the API server accepts the rule, but its effect is undefined; ' +
                  'deny by networks, or accept the names and deny the rest after them',
              );
            });
          }
        : undefined,
  };
}

function spec(channel: ClusterNetworkPolicyChannel): SchemaNode {
  const experimental = channel === 'experimental';
  const egressPeer = peer(
    experimental
      ? { ...PEER_PROPERTIES, nodes: SELECTOR, networks: NETWORKS, domainNames: DOMAIN_NAMES }
      : { ...PEER_PROPERTIES, networks: NETWORKS },
    '%s peers need the experimental channel of the ClusterNetworkPolicy CRD',
  );
  const ingressPeer = peer(PEER_PROPERTIES, '%s peers are for egress rules only; ingress rules take namespaces and pods peers');
  return {
    type: 'object',
    properties: {
      tier: { type: 'string', enum: ['Admin', 'Baseline'] },
      priority: { type: 'integer', minimum: 0, maximum: 1000 },
      subject: { type: 'object', minProperties: 1, maxProperties: 1, properties: { namespaces: SELECTOR, pods: NAMESPACED_POD } },
      ingress: { type: 'array', maxItems: 25, items: rule('ingress', ingressPeer, false) },
      egress: { type: 'array', maxItems: 25, items: rule('egress', egressPeer, experimental) },
    },
    required: ['priority', 'subject', 'tier'],
    misplaced: {
      podSelector: 'a ClusterNetworkPolicy selects pods in "subject": {pods: {namespaceSelector, podSelector}}',
      policyTypes: 'a ClusterNetworkPolicy has no policyTypes: only its rules act',
      name: '"name" belongs under "metadata"',
    },
  };
}

const EXPERIMENTAL = spec('experimental');
const STANDARD = spec('standard');
