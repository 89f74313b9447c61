import * as path from 'path';
import {
  formatIssueLine,
  formatValidationSummary,
  isNetworkPolicyDocument,
  validateFiles,
  validateNetworkPolicy,
  ValidateOptions,
} from '../../lib/check/validate';
import { NetpolError } from '../../lib/model';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'validate');

/** The issue lines of one fixture file or folder, with locations relative to it. */
function lines(rel: string, options: ValidateOptions = {}): string[] {
  const result = validateFiles([path.join(FIXTURES, rel)], options);
  return result.results.flatMap((r) => r.issues.map((i) => formatIssueLine(r, i).replace(`${FIXTURES}${path.sep}`, '')));
}

/** A NetworkPolicy with the given spec. */
function policy(spec: unknown, metadata: Record<string, unknown> = { name: 'p', namespace: 'ns' }): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NOT_A_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

describe('every rule accepts what the API server accepts', () => {
  test.each(['metadata', 'selectors', 'policy-types', 'ports', 'peers', 'ipblock', 'structure', 'object'])(
    '%s/valid.yaml passes',
    (rule) => {
      const result = validateFiles([path.join(FIXTURES, rule, 'valid.yaml')]);
      expect(result.checked).toBeGreaterThan(0);
      expect(result.results.flatMap((r) => r.issues)).toEqual([]);
    },
  );
});

describe('metadata', () => {
  test('rejects invalid names and namespaces, and a missing name, but not a missing namespace', () => {
    expect(lines('metadata/invalid.yaml')).toEqual([
      `metadata/invalid.yaml#0: metadata.name: Invalid value: "Allow_Web": ${SUBDOMAIN} (hint: e.g. "allow-web")`,
      'metadata/invalid.yaml#1: metadata.name: Required value: name or generateName is required (hint: give the policy a name: "metadata: {name: my-policy}")',
      'metadata/invalid.yaml#2: metadata.namespace: Invalid value: "shop.prod": must not contain dots (hint: e.g. "shop-prod")',
      `metadata/invalid.yaml#3: metadata.namespace: Invalid value: "Shop": ${LABEL} (hint: e.g. "shop")`,
      `metadata/invalid.yaml#4: metadata.namespace: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters (hint: e.g. "${'a'.repeat(63)}")`,
      `metadata/invalid.yaml#5: metadata.labels: Invalid value: "-team": ${NAME_PART}`,
      `metadata/invalid.yaml#5: metadata.labels: Invalid value: "team a": ${LABEL_VALUE}`,
    ]);
  });

  test('rejects an invalid generateName, with its trailing "-" allowed', () => {
    expect(validateNetworkPolicy(policy({}, { generateName: 'Deny-' }))).toEqual([
      { code: 'field.invalid', path: 'metadata.generateName', message: `Invalid value: "Deny-": ${SUBDOMAIN}` },
    ]);
    expect(validateNetworkPolicy(policy({}, { generateName: 'deny-' }))).toEqual([]);
  });

  test('rejects invalid annotation keys (case-insensitively) and finalizers', () => {
    const issues = validateNetworkPolicy(
      policy({}, { name: 'p', annotations: { 'Team/Owner': 'a', 'a b': 'c' }, finalizers: ['example.com/ok', 'bad key'] }),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      `metadata.annotations: Invalid value: "a b": ${NAME_PART}`,
      `metadata.finalizers: Invalid value: "bad key": ${NAME_PART}`,
    ]);
  });
  test('rejects a negative generation and incomplete owner references, on the paths the server uses', () => {
    const issues = validateNetworkPolicy(
      policy({}, { name: 'p', generation: -1, ownerReferences: [{ apiVersion: 'apps/', kind: 'Deployment', name: 'web' }] }),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });
});

describe('selectors', () => {
  test('rejects bad label keys and values on the matchLabels path, and bad expressions on their own paths', () => {
    expect(lines('selectors/invalid.yaml')).toEqual([
      `selectors/invalid.yaml#0: spec.podSelector.matchLabels: Invalid value: "app name": ${NAME_PART}`,
      `selectors/invalid.yaml#0: spec.podSelector.matchLabels: Invalid value: "web/1": ${LABEL_VALUE}`,
      'selectors/invalid.yaml#1: spec.podSelector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator (hint: operators are case-sensitive: write "In")',
      "selectors/invalid.yaml#2: spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn' (hint: list the values to match, or use Exists)",
      "selectors/invalid.yaml#2: spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist' (hint: remove \"values\", or use In to match them)",
      `selectors/invalid.yaml#3: spec.podSelector.matchExpressions[0].values[0]: Invalid value: "front end": ${LABEL_VALUE}`,
      'selectors/invalid.yaml#3: spec.podSelector.matchExpressions[1].key: Invalid value: "example.com/": name part must be non-empty',
      `selectors/invalid.yaml#3: spec.podSelector.matchExpressions[1].key: Invalid value: "example.com/": ${NAME_PART}`,
      'selectors/invalid.yaml#4: spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator (hint: use In, NotIn, Exists or DoesNotExist)',
      `selectors/invalid.yaml#4: spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: "Prod!": ${LABEL_VALUE}`,
    ]);
  });

  test('reads a null label value or expression value as the empty string, as Go does', () => {
    expect(
      validateNetworkPolicy(
        policy({ podSelector: { matchLabels: { canary: null }, matchExpressions: [{ key: 'a', operator: 'In', values: [null] }] } }),
      ),
    ).toEqual([]);
  });

  test('rejects a missing operator as an empty one', () => {
    expect(validateNetworkPolicy(policy({ podSelector: { matchExpressions: [{ key: 'a' }] } }))).toEqual([
      {
        code: 'field.invalid',
        path: 'spec.podSelector.matchExpressions[0].operator',
        message: 'Invalid value: "": not a valid selector operator',
        hint: 'use In, NotIn, Exists or DoesNotExist',
      },
    ]);
  });
});

describe('policyTypes', () => {
  test('rejects values in the wrong case or unknown, and more than two entries on the list', () => {
    expect(lines('policy-types/invalid.yaml')).toEqual([
      'policy-types/invalid.yaml#0: spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress" (hint: policy types are case-sensitive: write "Ingress")',
      'policy-types/invalid.yaml#0: spec.policyTypes[1]: Unsupported value: "EGRESS": supported values: "Ingress", "Egress" (hint: policy types are case-sensitive: write "Egress")',
      'policy-types/invalid.yaml#1: spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "ingress"}: may not specify more than two policyTypes (hint: list each of Ingress and Egress at most once)',
      'policy-types/invalid.yaml#2: spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"',
    ]);
  });
});

describe('ports', () => {
  test('rejects bad protocols, numbers, names and ranges', () => {
    expect(lines('ports/invalid.yaml')).toEqual([
      'ports/invalid.yaml#0: spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP" (hint: protocol names are case-sensitive: write "TCP")',
      'ports/invalid.yaml#0: spec.ingress[0].ports[1].protocol: Unsupported value: "": supported values: "TCP", "UDP", "SCTP" (hint: leave "protocol" out for TCP, or write "TCP", "UDP" or "SCTP")',
      'ports/invalid.yaml#0: spec.ingress[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'ports/invalid.yaml#1: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'ports/invalid.yaml#1: spec.ingress[0].ports[1].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
      'ports/invalid.yaml#2: spec.egress[0].ports[0].port: Invalid value: "5432": must contain at least one letter (a-z) (hint: a quoted number is a port name: write 5432 without quotes)',
      'ports/invalid.yaml#2: spec.egress[0].ports[1].port: Invalid value: "http_alt": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'ports/invalid.yaml#2: spec.egress[0].ports[2].port: Invalid value: "very-long-port-name": must be no more than 15 characters',
      'ports/invalid.yaml#2: spec.egress[0].ports[3].port: Invalid value: "-web": must not begin or end with a hyphen',
      'ports/invalid.yaml#2: spec.egress[0].ports[4].port: Invalid value: "a--b": must not contain consecutive hyphens',
      'ports/invalid.yaml#3: spec.ingress[0].ports[0].endPort: Invalid value: 8090: may not be specified when `port` is non-numeric (hint: a range needs a numeric start: replace "http" with the first port number of the range)',
      'ports/invalid.yaml#3: spec.ingress[0].ports[1].endPort: Invalid value: 8090: may not be specified when `port` is not specified (hint: add "port" with the first port of the range)',
      'ports/invalid.yaml#3: spec.ingress[0].ports[2].endPort: Invalid value: 8000: must be greater than or equal to `port` (hint: endPort is the last port of the range starting at 9000)',
      'ports/invalid.yaml#3: spec.ingress[0].ports[3].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'ports/invalid.yaml#3: spec.ingress[0].ports[4].endPort: Invalid value: 0: must be greater than or equal to `port` (hint: endPort is the last port of the range starting at 80)',
      'ports/invalid.yaml#3: spec.ingress[0].ports[4].endPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  test('rejects a port name for every reason it fails, in the server order', () => {
    expect(validateNetworkPolicy(policy({ ingress: [{ ports: [{ port: '-8080-' }] }] })).map((i) => i.message)).toEqual([
      'Invalid value: "-8080-": must contain at least one letter (a-z)',
      'Invalid value: "-8080-": must not begin or end with a hyphen',
    ]);
  });
});

describe('peers', () => {
  test('rejects a peer without selectors or ipBlock, and an ipBlock combined with a selector', () => {
    expect(lines('peers/invalid.yaml')).toEqual([
      'peers/invalid.yaml#0: spec.ingress[0].from[0]: Required value: must specify a peer (hint: give podSelector, namespaceSelector or ipBlock; to match every peer, leave out "from")',
      'peers/invalid.yaml#0: spec.ingress[0].from[1]: Required value: must specify a peer (hint: "podSelector:" with nothing after it is null, which counts as absent; write "podSelector: {}" to select every pod of the policy\'s namespace)',
      'peers/invalid.yaml#0: spec.egress[0].to[0]: Required value: must specify a peer (hint: give podSelector, namespaceSelector or ipBlock; to match every peer, leave out "to")',
      'peers/invalid.yaml#1: spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer (hint: make them separate peers: start each with "- ")',
    ]);
  });

  test('rejects errors inside a combined peer as well as the combination', () => {
    const issues = validateNetworkPolicy(
      policy({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/8' }, podSelector: { matchLabels: { 'a b': 'c' } } }] }] }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'spec.egress[0].to[0].podSelector.matchLabels',
      'spec.egress[0].to[0].ipBlock.cidr',
      'spec.egress[0].to[0]',
    ]);
  });
});

describe('ipBlock', () => {
  test('rejects missing and malformed CIDRs, strict-mode CIDRs and excepts that are not strict subsets', () => {
    expect(lines('ipblock/invalid.yaml')).toEqual([
      'ipblock/invalid.yaml#0: spec.egress[0].to[0].ipBlock.cidr: Required value (hint: give the address range, e.g. "cidr: 10.0.0.0/16")',
      'ipblock/invalid.yaml#0: spec.egress[0].to[1].ipBlock.cidr: Required value (hint: give the address range, e.g. "cidr: 10.0.0.0/16")',
      `ipblock/invalid.yaml#1: spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.5": ${NOT_A_CIDR} (hint: add the prefix length: "10.0.0.5/32" for the single address)`,
      `ipblock/invalid.yaml#1: spec.egress[0].to[1].ipBlock.cidr: Invalid value: "db.example.com": ${NOT_A_CIDR} (hint: NetworkPolicy matches IP addresses, not host names: give the address range as a CIDR)`,
      `ipblock/invalid.yaml#1: spec.egress[0].to[2].ipBlock.cidr: Invalid value: "10.0.0.0/33": ${NOT_A_CIDR}`,
      'ipblock/invalid.yaml#2: spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length (hint: write "10.0.0.0/24" for the whole range, or "10.0.0.1/32" for the single address)',
      'ipblock/invalid.yaml#2: spec.egress[0].to[1].ipBlock.cidr: Invalid value: "010.0.0.0/8": must not have leading 0s in IP or prefix length (hint: write "10.0.0.0/8")',
      'ipblock/invalid.yaml#2: spec.egress[0].to[2].ipBlock.cidr: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length (hint: write "10.0.0.0/8")',
      'ipblock/invalid.yaml#2: spec.egress[0].to[3].ipBlock.cidr: Invalid value: "::ffff:10.0.0.0/104": must not have an IPv4-mapped IPv6 address (hint: write the IPv4 CIDR "10.0.0.0/8")',
      'ipblock/invalid.yaml#2: spec.egress[0].to[4].ipBlock.cidr: Invalid value: "2001:db8::1/64": must not have bits set beyond the prefix length (hint: write "2001:db8::/64" for the whole range, or "2001:db8::1/128" for the single address)',
      'ipblock/invalid.yaml#3: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr` (hint: an except must lie inside the cidr 10.0.0.0/16; remove it, or fix the cidr)',
      'ipblock/invalid.yaml#3: spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr` (hint: an except must be smaller than the cidr 10.0.0.0/16; to exclude all of it, remove the peer)',
      'ipblock/invalid.yaml#3: spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr` (hint: an except must be smaller than the cidr 10.0.0.0/16; to exclude all of it, remove the peer)',
      'ipblock/invalid.yaml#3: spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr` (hint: the except is IPv6 but the cidr is IPv4; an except must lie inside the cidr)',
      `ipblock/invalid.yaml#3: spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: "10.1.0.0": ${NOT_A_CIDR} (hint: add the prefix length: "10.1.0.0/32" for the single address)`,
    ]);
  });

  test('with legacyCidrs, accepts what API servers up to 1.35 accept and still rejects the rest', () => {
    const legacy = lines('ipblock/invalid.yaml', { legacyCidrs: true });
    expect(legacy.filter((l) => l.includes('#2:'))).toEqual([]);
    expect(legacy).toHaveLength(10);
  });

  test('rejects excepts of a cidr that strict mode rejects, checked against its network', () => {
    const issues = validateNetworkPolicy(
      policy({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/24', except: ['10.0.0.128/25', '10.0.1.0/25'] } }] }] }),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length',
      'spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.0.1.0/25": must be a strict subset of `cidr`',
    ]);
  });
});

describe('structure', () => {
  test('rejects maps where lists belong, unknown fields and wrong types, with field paths', () => {
    expect(lines('structure/invalid.yaml')).toEqual([
      'structure/invalid.yaml#0: spec.ingress: expected a list of ingress rules, got a map (hint: write each ingress rule as a list item: put "- " before its first field)',
      'structure/invalid.yaml#0: spec.policyTypes: expected a list of policy types, got the string "Ingress" (hint: write it as a list: [Ingress])',
      'structure/invalid.yaml#1: spec.podSelector.app: unknown field "app"; the fields here are matchLabels, matchExpressions (hint: labels go under "matchLabels": "matchLabels: {app: ...}")',
      'structure/invalid.yaml#1: spec.ingress[0].ports[0].prot: unknown field "prot"; the fields here are protocol, port, endPort (hint: did you mean "protocol"?)',
      'structure/invalid.yaml#1: spec.ingress[0].from[0].ports: unknown field "ports"; the fields here are podSelector, namespaceSelector, ipBlock (hint: "ports" belongs to the rule, not the peer: indent it to line up with "from")',
      'structure/invalid.yaml#2: spec.podSelector.matchLabels[version]: expected a string, got the number 2 (hint: quote the value exactly as written in the file; unquoted, YAML reads it as a number (1.10 is 1.1, 0755 is 493))',
      'structure/invalid.yaml#2: spec.egress[0].ports[0].endPort: expected an integer, got the string "9090" (hint: remove the quotes: 9090)',
      'structure/invalid.yaml#2: spec.egress[0].ports[1].port: expected a port number or a port name, got the boolean true',
      'structure/invalid.yaml#3: status: unknown field "status"; the fields here are apiVersion, kind, metadata, spec (hint: NetworkPolicy has no status (it was removed in Kubernetes 1.28); remove it)',
      'structure/invalid.yaml#3: spec: expected spec (a map), got a list of 1 entry (hint: remove the "- " in front of the fields of spec)',
    ]);
  });

  test('rejects a misspelt field and suggests the closest one', () => {
    const issues = validateNetworkPolicy(policy({ podSelecter: {}, ingress: [{ from: [{ ipBlock: { cdir: '10.0.0.0/8' } }] }] }));
    expect(issues.map((i) => [i.code, i.path, i.hint])).toEqual([
      ['structure.unknown-field', 'spec.podSelecter', 'did you mean "podSelector"?'],
      ['structure.unknown-field', 'spec.ingress[0].from[0].ipBlock.cdir', 'did you mean "cidr"?'],
      ['field.required', 'spec.ingress[0].from[0].ipBlock.cidr', 'give the address range, e.g. "cidr: 10.0.0.0/16"'],
    ]);
  });

  test('reads null list items the way Go does: an empty rule, an empty port, an empty peer', () => {
    expect(
      validateNetworkPolicy(policy({ ingress: [null, { ports: [null] }, { from: [null] }] })).map((i) => `${i.path}: ${i.message}`),
    ).toEqual(['spec.ingress[2].from[0]: Required value: must specify a peer']);
  });

  test('rejects something that is not an object at all', () => {
    expect(validateNetworkPolicy(['a'])).toEqual([
      { code: 'structure.type', path: '', message: 'expected a NetworkPolicy object (a map), got a list of 1 entry' },
    ]);
  });
});

describe('apiVersion and kind', () => {
  test('rejects NetworkPolicy objects of an API version that does not serve them, or with the kind in the wrong case', () => {
    expect(lines('object/invalid.yaml')).toEqual([
      'object/invalid.yaml#0: apiVersion: "extensions/v1beta1" does not serve NetworkPolicy (it was removed in Kubernetes 1.16); write "apiVersion: networking.k8s.io/v1"',
      'object/invalid.yaml#1: apiVersion: no apiVersion; write "apiVersion: networking.k8s.io/v1"',
      'object/invalid.yaml#2: kind: "Networkpolicy" is not NetworkPolicy; write "kind: NetworkPolicy" (hint: kinds are case-sensitive)',
      'object/invalid.yaml#3: apiVersion: "networking.k8s.io/v1beta1" does not serve NetworkPolicy; write "apiVersion: networking.k8s.io/v1"',
    ]);
  });

  test("checks Kubernetes NetworkPolicies only: other kinds and other APIs' NetworkPolicy are skipped", () => {
    const result = validateFiles([path.join(FIXTURES, 'object', 'valid.yaml')]);
    expect([result.checked, result.skipped]).toEqual([1, 2]);
    expect(isNetworkPolicyDocument({ apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy' })).toBe(false);
    expect(isNetworkPolicyDocument({ apiVersion: 'networking.k8s.i0/v1', kind: 'NetworkPolicy' })).toBe(true);
    expect(isNetworkPolicyDocument({ kind: 'networkpolicy' })).toBe(true);
    expect(isNetworkPolicyDocument({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' })).toBe(false);
  });

  test('rejects an invalid item of a List, located by its index', () => {
    expect(lines('object/list.yaml')).toEqual([
      'object/list.yaml#0.items[1]: spec.ingress[0].ports[0].port: Invalid value: "5432": must contain at least one letter (a-z) (hint: a quoted number is a port name: write 5432 without quotes)',
    ]);
  });
});

describe('validateFiles', () => {
  test('reports every error of every NetworkPolicy, with totals', () => {
    const result = validateFiles([FIXTURES]);
    expect(formatValidationSummary(result)).toBe('54 NetworkPolicies checked, 40 invalid (78 errors)');
  });

  test('names each result and shows the document index only for files with several documents', () => {
    const result = validateFiles([path.join(FIXTURES, 'seeds', 'quoted-port.yaml'), path.join(FIXTURES, 'ports', 'invalid.yaml')]);
    expect(result.results.map((r) => [path.relative(FIXTURES, r.location), r.name, r.namespace])).toEqual([
      ['seeds/quoted-port.yaml', 'db', 'shop'],
      ['ports/invalid.yaml#0', 'protocols', undefined],
      ['ports/invalid.yaml#1', 'numbers', undefined],
      ['ports/invalid.yaml#2', 'names', undefined],
      ['ports/invalid.yaml#3', 'ranges', undefined],
    ]);
  });

  test('rejects a path that does not exist', () => {
    expect(() => validateFiles([path.join(FIXTURES, 'missing.yaml')])).toThrow(NetpolError);
    expect(() => validateFiles([path.join(FIXTURES, 'missing.yaml')])).toThrow(
      `${path.join(FIXTURES, 'missing.yaml')}: no such file or folder`,
    );
  });

  test('says "1 NetworkPolicy" and "1 error" in the singular', () => {
    expect(formatValidationSummary({ results: [], checked: 1, invalid: 1, errors: 1, skipped: 0 })).toBe(
      '1 NetworkPolicy checked, 1 invalid (1 error)',
    );
    expect(formatValidationSummary({ results: [], checked: 0, invalid: 0, errors: 0, skipped: 3 })).toBe(
      '0 NetworkPolicies checked, 0 invalid',
    );
  });
});

describe('the seed mistakes', () => {
  test('rejects each with the server message and a hint', () => {
    expect(lines('seeds')).toEqual([
      'seeds/endport-named-port.yaml: spec.ingress[0].ports[0].endPort: Invalid value: 8090: may not be specified when `port` is non-numeric (hint: a range needs a numeric start: replace "http" with the first port number of the range)',
      'seeds/except-outside-cidr.yaml: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "172.18.1.0/24": must be a strict subset of `cidr` (hint: an except must lie inside the cidr 172.17.0.0/16; remove it, or fix the cidr)',
      'seeds/host-bits.yaml: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length (hint: write "10.0.0.0/24" for the whole range, or "10.0.0.1/32" for the single address)',
      'seeds/policy-types-lower-case.yaml: spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress" (hint: policy types are case-sensitive: write "Ingress")',
      'seeds/ports-map.yaml: spec.ingress[0].ports: expected a list of ports, got a map (hint: write each port as a list item: put "- " before its first field)',
      'seeds/protocol-lower-case.yaml: spec.egress[0].ports[0].protocol: Unsupported value: "udp": supported values: "TCP", "UDP", "SCTP" (hint: protocol names are case-sensitive: write "UDP")',
      'seeds/quoted-port.yaml: spec.ingress[0].ports[0].port: Invalid value: "5432": must contain at least one letter (a-z) (hint: a quoted number is a port name: write 5432 without quotes)',
    ]);
  });

  test('a host-bits CIDR passes with legacyCidrs, as API servers up to 1.35 accept it', () => {
    expect(lines('seeds/host-bits.yaml', { legacyCidrs: true })).toEqual([]);
  });

  test('rejects the quoted port with code, path, server message and hint', () => {
    expect(validateNetworkPolicy(policy({ ingress: [{ ports: [{ port: '5432' }] }] }))).toEqual([
      {
        code: 'field.invalid',
        path: 'spec.ingress[0].ports[0].port',
        message: 'Invalid value: "5432": must contain at least one letter (a-z)',
        hint: 'a quoted number is a port name: write 5432 without quotes',
      },
    ]);
  });
});

test('reports in the server order: metadata, podSelector, ingress, egress, policyTypes', () => {
  const issues = validateNetworkPolicy({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'Bad' },
    spec: {
      policyTypes: ['egress'],
      egress: [{ ports: [{ port: 0 }] }],
      ingress: [{ from: [{}], ports: [{ protocol: 'tcp' }] }],
      podSelector: { matchLabels: { 'a b': 'x' } },
    },
  });
  expect(issues.map((i) => i.path)).toEqual([
    'metadata.name',
    'spec.podSelector.matchLabels',
    'spec.ingress[0].ports[0].protocol',
    'spec.ingress[0].from[0]',
    'spec.egress[0].ports[0].port',
    'spec.policyTypes[0]',
  ]);
});
