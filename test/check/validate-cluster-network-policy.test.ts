import * as path from 'path';
import {
  celIsCidr,
  formatIssueLine,
  formatValidationSummary,
  isClusterNetworkPolicyDocument,
  validateClusterNetworkPolicy,
  validateFiles,
  ValidateOptions,
} from '../../lib/check/validate';
import { clusterPolicyToObject } from '../../lib/render';
import * as fc from 'fast-check';
import { clusterPolicyArb } from '../model/cluster-arbitraries';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'validate-cluster-network-policy');

/** A ClusterNetworkPolicy with the given spec. */
function cnp(spec: unknown, metadata: Record<string, unknown> = { name: 'p' }): Record<string, unknown> {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata, spec };
}

/** A valid spec with some fields replaced. */
function spec(fields: Record<string, unknown>): Record<string, unknown> {
  return { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ...fields };
}

/** `path: message` lines of the issues of a spec. */
function lines(s: unknown, options: ValidateOptions = {}): string[] {
  return validateClusterNetworkPolicy(cnp(s), options).map((i) => `${i.path}: ${i.message}${i.hint ? ` (hint: ${i.hint})` : ''}`);
}

const egress = (rule: Record<string, unknown>) => spec({ egress: [{ action: 'Deny', to: [{ namespaces: {} }], ...rule }] });
const ingress = (rule: Record<string, unknown>) => spec({ ingress: [{ action: 'Deny', from: [{ namespaces: {} }], ...rule }] });

describe('the API server accepts', () => {
  test('valid.yaml: every peer kind and protocol form, both tiers', () => {
    const result = validateFiles([path.join(FIXTURES, 'valid.yaml')]);
    expect(result.checked).toBe(3);
    expect(result.results.map((r) => [r.kind, r.name, r.issues])).toEqual([
      ['ClusterNetworkPolicy', 'guardrails', []],
      ['ClusterNetworkPolicy', 'default', []],
      ['ClusterNetworkPolicy', 'delegate', []],
    ]);
  });

  test('whatever the renderer writes from a model policy', () => {
    fc.assert(
      fc.property(clusterPolicyArb, (policy) => {
        expect(validateClusterNetworkPolicy(clusterPolicyToObject(policy))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('type and metadata', () => {
  test('rejects another apiVersion and kind, and a missing spec', () => {
    const issues = validateClusterNetworkPolicy({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'clusterNetworkPolicy',
      metadata: { name: 'p' },
    });
    expect(issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (hint: ${i.hint})` : ''}`)).toEqual([
      'apiVersion: "policy.networking.k8s.io/v1alpha1" does not serve ClusterNetworkPolicy (v1alpha1 had AdminNetworkPolicy and BaselineAdminNetworkPolicy instead); write "apiVersion: policy.networking.k8s.io/v1alpha2"',
      'kind: "clusterNetworkPolicy" is not ClusterNetworkPolicy; write "kind: ClusterNetworkPolicy" (hint: kinds are case-sensitive)',
      'spec: Required value',
    ]);
  });

  test('checks the name as the API server does, but not the namespace, which it clears for cluster-scoped objects', () => {
    expect(
      validateClusterNetworkPolicy(cnp(spec({}), { name: 'Deny_All', namespace: 'Not A Namespace' })).map((i) => `${i.path}: ${i.message}`),
    ).toEqual([
      "metadata.name: Invalid value: \"Deny_All\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(validateClusterNetworkPolicy(cnp(spec({}), {}))[0]).toEqual({
      code: 'field.required',
      path: 'metadata.name',
      message: 'Required value: name or generateName is required',
      hint: 'give the cluster-network-policy a name: "metadata: {name: my-cluster-network-policy}"',
    });
  });

  test('reports fields that belong elsewhere', () => {
    const issues = validateClusterNetworkPolicy({ ...cnp(spec({ podSelector: {} })), tier: 'Admin' });
    expect(issues.map((i) => `${i.path}: ${i.message} (hint: ${i.hint})`)).toEqual([
      'tier: unknown field "tier"; the fields here are apiVersion, kind, metadata, spec, status (hint: "tier" belongs under "spec")',
      'spec.podSelector: unknown field "podSelector"; the fields here are tier, priority, subject, ingress, egress (hint: a ClusterNetworkPolicy selects pods in "subject": {pods: {namespaceSelector, podSelector}})',
    ]);
  });
});

describe('spec: tier, priority, subject', () => {
  test('requires tier, priority and subject; null counts as absent', () => {
    expect(lines({ tier: null })).toEqual(['spec.priority: Required value', 'spec.subject: Required value', 'spec.tier: Required value']);
  });

  test('tier is Admin or Baseline, case-sensitive', () => {
    expect(lines(spec({ tier: 'admin' }))).toEqual(['spec.tier: Unsupported value: "admin": supported values: "Admin", "Baseline"']);
  });

  test('a tier of the wrong type fails the type and the enum, as the server reports both', () => {
    expect(lines(spec({ tier: 1 }))).toEqual([
      'spec.tier: Invalid value: "integer": spec.tier in body must be of type string: "integer"',
      'spec.tier: Unsupported value: 1: supported values: "Admin", "Baseline"',
    ]);
  });

  test('priority is an integer from 0 to 1000', () => {
    expect(lines(spec({ priority: -1 }))).toEqual([
      'spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0',
    ]);
    expect(lines(spec({ priority: 1001 }))).toEqual([
      'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    ]);
    expect(lines(spec({ priority: '10' }))).toEqual([
      'spec.priority: Invalid value: "string": spec.priority in body must be of type integer: "string"',
    ]);
    expect(lines(spec({ priority: 1.5 }))).toEqual([
      'spec.priority: Invalid value: "number": spec.priority in body must be of type integer: "number"',
    ]);
  });

  test('subject has exactly one of namespaces and pods; pods needs a podSelector', () => {
    expect(lines(spec({ subject: {} }))).toEqual([
      'spec.subject: Invalid value: 0: spec.subject in body should have at least 1 properties',
    ]);
    expect(lines(spec({ subject: { namespaces: {}, pods: { podSelector: {} } } }))).toEqual([
      'spec.subject: Too many: 2: must have at most 1 items',
    ]);
    expect(lines(spec({ subject: { pods: { namespaceSelector: {} } } }))).toEqual(['spec.subject.pods.podSelector: Required value']);
  });
});

describe('rules', () => {
  test('at most 25 rules per direction', () => {
    const rules = Array.from({ length: 26 }, () => ({ action: 'Deny', to: [{ namespaces: {} }] }));
    expect(lines(spec({ egress: rules }))).toEqual(['spec.egress: Too many: 26: must have at most 25 items']);
  });

  test('action and from/to are required, action is Accept, Deny or Pass', () => {
    expect(lines(spec({ ingress: [{}] }))).toEqual(['spec.ingress[0].action: Required value', 'spec.ingress[0].from: Required value']);
    expect(lines(ingress({ action: 'Allow' }))).toEqual([
      'spec.ingress[0].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"',
    ]);
  });

  test('a name has at most 100 characters', () => {
    expect(lines(ingress({ name: 'x'.repeat(101) }))).toEqual(['spec.ingress[0].name: Too long: may not be more than 100 bytes']);
    expect(lines(ingress({ name: 'x'.repeat(100) }))).toEqual([]);
  });

  test('from/to hold 1 to 25 peers', () => {
    expect(lines(ingress({ from: [] }))).toEqual([
      'spec.ingress[0].from: Invalid value: 0: spec.ingress[0].from in body should have at least 1 items',
    ]);
    expect(lines(egress({ to: Array.from({ length: 26 }, () => ({ namespaces: {} })) }))).toEqual([
      'spec.egress[0].to: Too many: 26: must have at most 25 items',
    ]);
  });

  test('protocols hold 1 to 25 entries', () => {
    expect(lines(egress({ protocols: [] }))).toEqual([
      'spec.egress[0].protocols: Invalid value: 0: spec.egress[0].protocols in body should have at least 1 items',
    ]);
    const many = Array.from({ length: 26 }, (_, i) => ({ tcp: { destinationPort: { number: i + 1 } } }));
    expect(lines(egress({ protocols: many }))).toEqual(['spec.egress[0].protocols: Too many: 26: must have at most 25 items']);
  });
});

describe('peers', () => {
  test('a peer has exactly one field', () => {
    expect(lines(egress({ to: [{}] }))).toEqual([
      'spec.egress[0].to[0]: Invalid value: 0: spec.egress[0].to[0] in body should have at least 1 properties',
    ]);
    expect(lines(egress({ to: [{ namespaces: {}, networks: ['10.0.0.0/8'] }] }))).toEqual([
      'spec.egress[0].to[0]: Too many: 2: must have at most 1 items',
    ]);
  });

  test('ingress peers are namespaces and pods only', () => {
    expect(lines(ingress({ from: [{ networks: ['10.0.0.0/8'] }] }))).toEqual([
      'spec.ingress[0].from[0].networks: unknown field "networks"; the fields here are namespaces, pods (hint: networks peers are for egress rules only; ingress rules take namespaces and pods peers)',
      'spec.ingress[0].from[0]: Invalid value: 0: spec.ingress[0].from[0] in body should have at least 1 properties',
    ]);
  });

  test('nodes and domainNames peers need the experimental channel', () => {
    const s = egress({ action: 'Accept', to: [{ nodes: {} }, { domainNames: ['a.example.com'] }] });
    expect(lines(s)).toEqual([]);
    expect(lines(s, { clusterNetworkPolicyChannel: 'standard' })).toEqual([
      'spec.egress[0].to[0].nodes: unknown field "nodes"; the fields here are namespaces, pods, networks (hint: nodes peers need the experimental channel of the ClusterNetworkPolicy CRD)',
      'spec.egress[0].to[0]: Invalid value: 0: spec.egress[0].to[0] in body should have at least 1 properties',
      'spec.egress[0].to[1].domainNames: unknown field "domainNames"; the fields here are namespaces, pods, networks (hint: domainNames peers need the experimental channel of the ClusterNetworkPolicy CRD)',
      'spec.egress[0].to[1]: Invalid value: 0: spec.egress[0].to[1] in body should have at least 1 properties',
    ]);
  });

  test('networks: 1 to 25 CIDRs, no repeats, at most 43 characters, each isCIDR()', () => {
    const to = (networks: unknown) => lines(egress({ to: [{ networks }] }));
    expect(to([])).toEqual([
      'spec.egress[0].to[0].networks: Invalid value: 0: spec.egress[0].to[0].networks in body should have at least 1 items',
    ]);
    expect(to(Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`))).toEqual([
      'spec.egress[0].to[0].networks: Too many: 26: must have at most 25 items',
    ]);
    expect(to(['10.0.0.0/8', '10.0.0.0/8'])).toEqual(['spec.egress[0].to[0].networks[1]: Duplicate value: "10.0.0.0/8"']);
    expect(to(['10.0.0.0', '010.0.0.0/8', '::ffff:10.0.0.0/104', '10.0.0.0/33', 'db.example.com'])).toEqual([
      'spec.egress[0].to[0].networks[0]: Invalid value: "10.0.0.0": Invalid CIDR format provided',
      'spec.egress[0].to[0].networks[1]: Invalid value: "010.0.0.0/8": Invalid CIDR format provided',
      'spec.egress[0].to[0].networks[2]: Invalid value: "::ffff:10.0.0.0/104": Invalid CIDR format provided',
      'spec.egress[0].to[0].networks[3]: Invalid value: "10.0.0.0/33": Invalid CIDR format provided',
      'spec.egress[0].to[0].networks[4]: Invalid value: "db.example.com": Invalid CIDR format provided',
    ]);
    expect(to(['2001:0db8:1234:5678:9abc:def0:255.255.255.255/128'])).toEqual([
      'spec.egress[0].to[0].networks[0]: Too long: may not be more than 43 bytes',
    ]);
    expect(to(['10.0.0.1/8', '::/0', '10.0.0.0/08'])).toEqual([
      'spec.egress[0].to[0].networks[2]: Invalid value: "10.0.0.0/08": Invalid CIDR format provided',
    ]);
  });

  test('isCIDR() is netip.ParsePrefix without IPv4-mapped addresses', () => {
    expect(['10.0.0.0/8', '10.0.0.1/8', '::/0', '::1.2.3.4/128', 'fd00:ec2::254/128'].map(celIsCidr)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.0', '1.2.3.04/32', '::ffff:1.2.3.4/128', '10.0.0.0/08', 'fe80::1%eth0/64', '00001::/16'].map(celIsCidr)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test('domainNames: 1 to 25 names, no repeats, each matching the CRD pattern', () => {
    const to = (domainNames: unknown) => lines(egress({ action: 'Accept', to: [{ domainNames }] }));
    expect(to(['a.example.com', 'a.example.com'])).toEqual(['spec.egress[0].to[0].domainNames[1]: Duplicate value: "a.example.com"']);
    expect(to(['localhost', '*.a.example.com'])).toEqual([
      'spec.egress[0].to[0].domainNames[0]: Invalid value: "localhost": spec.egress[0].to[0].domainNames[0] in body should match \'^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$\'',
    ]);
    expect(to([])).toEqual([
      'spec.egress[0].to[0].domainNames: Invalid value: 0: spec.egress[0].to[0].domainNames in body should have at least 1 items',
    ]);
  });

  test('domainNames in a Deny or Pass rule pass the CRD but are reported, as the API supports them in Accept rules only', () => {
    expect(
      validateClusterNetworkPolicy(cnp(egress({ action: 'Pass', to: [{ namespaces: {} }, { domainNames: ['a.example.com'] }] }))),
    ).toEqual([
      {
        code: 'cluster-rule.domain-names-action',
        path: 'spec.egress[0].to[1].domainNames',
        message:
          'domainNames is supported in Accept rules only, not in Pass rules: an implementation cannot know every address behind a name, so it cannot enforce a Pass on one',
        hint: 'the CRD does not enforce this, so the API server accepts the rule, but its effect is undefined; deny by networks, or accept the names and deny the rest after them',
      },
    ]);
  });

  test('pods peers need a podSelector', () => {
    expect(lines(egress({ to: [{ pods: { namespaceSelector: {} } }] }))).toEqual(['spec.egress[0].to[0].pods.podSelector: Required value']);
  });
});

describe('selectors', () => {
  test('the CRD checks their shape only', () => {
    expect(lines(spec({ subject: { namespaces: { matchLabels: { a: 1 }, matchExpressions: [{ operator: 'In' }] } } }))).toEqual([
      'spec.subject.namespaces.matchLabels.a: Invalid value: "integer": spec.subject.namespaces.matchLabels.a in body must be of type string: "integer"',
      'spec.subject.namespaces.matchExpressions[0].key: Required value',
    ]);
  });

  test('selectors implementations cannot evaluate are reported with their own code, as the server accepts them', () => {
    const issues = validateClusterNetworkPolicy(
      cnp(
        spec({
          subject: { namespaces: { matchLabels: { 'bad key!': 'x' }, matchExpressions: [{ key: 'a', operator: 'in', values: ['b'] }] } },
        }),
      ),
    );
    const hint =
      'the CRD does not check label selectors, so the API server accepts this, but implementations cannot evaluate the selector and the policy has no defined effect';
    expect(issues).toEqual([
      {
        code: 'selector.unusable',
        path: 'spec.subject.namespaces.matchLabels',
        message:
          "label key \"bad key!\" is invalid: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')",
        hint,
      },
      {
        code: 'selector.unusable',
        path: 'spec.subject.namespaces.matchExpressions[0].operator',
        message: 'operator "in" is not valid; use In, NotIn, Exists or DoesNotExist (case-sensitive)',
        hint,
      },
    ]);
  });
});

describe('protocols', () => {
  const proto = (p: unknown) => lines(egress({ protocols: [p] }));

  test('an entry has exactly one of tcp, udp, sctp and destinationNamedPort', () => {
    expect(proto({})).toEqual([
      'spec.egress[0].protocols[0]: Invalid value: 0: spec.egress[0].protocols[0] in body should have at least 1 properties',
    ]);
    expect(proto({ tcp: { destinationPort: { number: 80 } }, destinationNamedPort: 'web' })).toEqual([
      'spec.egress[0].protocols[0]: Too many: 2: must have at most 1 items',
    ]);
  });

  test('tcp needs a destinationPort with exactly one of number and range', () => {
    expect(proto({ tcp: {} })).toEqual([
      'spec.egress[0].protocols[0].tcp: Invalid value: 0: spec.egress[0].protocols[0].tcp in body should have at least 1 properties',
    ]);
    expect(proto({ udp: { destinationPort: {} } })).toEqual([
      'spec.egress[0].protocols[0].udp.destinationPort: Invalid value: 0: spec.egress[0].protocols[0].udp.destinationPort in body should have at least 1 properties',
    ]);
    expect(proto({ sctp: { destinationPort: { number: 1, range: { start: 1, end: 2 } } } })).toEqual([
      'spec.egress[0].protocols[0].sctp.destinationPort: Too many: 2: must have at most 1 items',
    ]);
  });

  test('port numbers are 1 to 65535', () => {
    expect(proto({ tcp: { destinationPort: { number: 0 } } })).toEqual([
      'spec.egress[0].protocols[0].tcp.destinationPort.number: Invalid value: 0: spec.egress[0].protocols[0].tcp.destinationPort.number in body should be greater than or equal to 1',
    ]);
    expect(proto({ tcp: { destinationPort: { number: 65536 } } })).toEqual([
      'spec.egress[0].protocols[0].tcp.destinationPort.number: Invalid value: 65536: spec.egress[0].protocols[0].tcp.destinationPort.number in body should be less than or equal to 65535',
    ]);
  });

  test('a range needs start and end, and start less than end (a CEL rule)', () => {
    expect(proto({ tcp: { destinationPort: { range: { start: 80 } } } })).toEqual([
      'spec.egress[0].protocols[0].tcp.destinationPort.range.end: Required value',
    ]);
    expect(proto({ tcp: { destinationPort: { range: { start: 90, end: 80 } } } })).toEqual([
      'spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: Start port must be less than End port',
    ]);
    expect(proto({ tcp: { destinationPort: { range: { start: 80, end: 80 } } } })).toEqual([
      'spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: Start port must be less than End port',
    ]);
  });

  test('a named port is not allowed with networks, nodes or domainNames peers (a CEL rule of the experimental channel)', () => {
    const s = spec({
      egress: [{ action: 'Accept', to: [{ namespaces: {} }, { networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'web' }] }],
    });
    expect(lines(s)).toEqual([
      'spec.egress[0]: Invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
    ]);
    expect(lines(s, { clusterNetworkPolicyChannel: 'standard' })).toEqual([]);
    expect(
      lines(spec({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'web' }] }] })),
    ).toEqual([]);
  });
});

describe('files', () => {
  test('validateFiles checks NetworkPolicies and ClusterNetworkPolicies and counts both kinds', () => {
    const result = validateFiles([path.join(FIXTURES), path.join(__dirname, '..', 'fixtures', 'validate', 'object', 'valid.yaml')]);
    expect(formatValidationSummary(result)).toBe(
      `${result.checked - 3} ${result.checked - 3 === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} and 3 ClusterNetworkPolicies checked, 0 invalid`,
    );
  });

  test('an issue line names the document, the field and the message', () => {
    const result = { location: 'cnp.yaml#1' };
    const [issue] = validateClusterNetworkPolicy(cnp(spec({ priority: 1001 })));
    expect(formatIssueLine(result, issue)).toBe(
      'cnp.yaml#1: spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    );
  });

  test('a ClusterNetworkPolicy document is told by its kind, and its group when there is one', () => {
    expect(isClusterNetworkPolicyDocument({ kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2' })).toBe(true);
    expect(isClusterNetworkPolicyDocument({ kind: 'clusternetworkpolicy' })).toBe(true);
    expect(isClusterNetworkPolicyDocument({ kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1' })).toBe(true);
    expect(isClusterNetworkPolicyDocument({ kind: 'ClusterNetworkPolicy', apiVersion: 'crd.antrea.io/v1beta1' })).toBe(false);
    expect(isClusterNetworkPolicyDocument({ kind: 'NetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2' })).toBe(false);
  });
});
