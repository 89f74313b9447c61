import { Direction, LabelSelector, Peer, Policy, Port, Rule } from '../../lib/model';
import { caught, issuesOf } from './caught';

const SUBDOMAIN_RULE =
  "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
const LABEL_RULE =
  "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";

const fromWeb = Rule.of([Peer.pods({ app: 'web' })], [Port.tcp(5432)]);
const toDns = Rule.of([Peer.namespace('kube-system')], [Port.DNS_UDP, Port.DNS_TCP]);

describe('Policy.of', () => {
  test('fills in defaults: every pod, no rules, no labels or annotations', () => {
    const p = Policy.of({ name: 'default-deny', namespace: 'shop', policyTypes: [Direction.INGRESS] });
    expect(p.podSelector.isEmpty).toBe(true);
    expect(p.ingress).toEqual([]);
    expect(p.egress).toEqual([]);
    expect(p.labels).toEqual({});
    expect(p.annotations).toEqual({});
    expect(p.origin).toBeUndefined();
  });

  test('keeps what it is given', () => {
    const selector = LabelSelector.of({ app: 'db' });
    const p = Policy.of({
      name: 'db',
      namespace: 'shop',
      podSelector: selector,
      policyTypes: [Direction.INGRESS, Direction.EGRESS],
      ingress: [fromWeb],
      egress: [toDns],
      labels: { team: 'a' },
      annotations: { note: 'x' },
      origin: { where: 'examples/shop.yaml', doc: 2 },
    });
    expect(p.podSelector).toBe(selector);
    expect(p.ingress).toEqual([fromWeb]);
    expect(p.egress).toEqual([toDns]);
    expect(p.labels).toEqual({ team: 'a' });
    expect(p.annotations).toEqual({ note: 'x' });
    expect(p.origin).toEqual({ where: 'examples/shop.yaml', doc: 2 });
  });

  test('id and toString name namespace and name', () => {
    const p = Policy.of({ name: 'web.v2', namespace: 'shop', policyTypes: [Direction.EGRESS] });
    expect(p.id).toBe('shop/web.v2');
    expect(p.toString()).toBe('NetworkPolicy shop/web.v2');
  });

  test('policyTypes are de-duplicated and sorted', () => {
    const p = Policy.of({ name: 'p', namespace: 'n', policyTypes: [Direction.INGRESS, Direction.EGRESS, Direction.INGRESS] });
    expect(p.policyTypes).toEqual(['Egress', 'Ingress']);
  });

  test('isolates and rules answer per direction', () => {
    const p = Policy.of({ name: 'p', namespace: 'n', policyTypes: [Direction.INGRESS], ingress: [fromWeb] });
    expect(p.isolates(Direction.INGRESS)).toBe(true);
    expect(p.isolates(Direction.EGRESS)).toBe(false);
    expect(p.rules(Direction.INGRESS)).toEqual([fromWeb]);
    expect(p.rules(Direction.EGRESS)).toEqual([]);
  });

  test('accepts an empty rule list without its policy type', () => {
    expect(Policy.of({ name: 'p', namespace: 'n', policyTypes: [Direction.EGRESS], ingress: [] }).policyTypes).toEqual([Direction.EGRESS]);
  });

  test('accepts a 253-character name and a 63-character namespace', () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name).toHaveLength(253);
    expect(Policy.of({ name, namespace: 'n'.repeat(63), policyTypes: [Direction.INGRESS] }).name).toBe(name);
  });

  test('throws for a name that is not a DNS subdomain', () => {
    expect(issuesOf(() => Policy.of({ name: 'Web_Policy', namespace: 'shop', policyTypes: [Direction.INGRESS] }))).toEqual([
      { code: 'metadata.name', path: 'metadata.name', message: `name "Web_Policy" is invalid: ${SUBDOMAIN_RULE}` },
    ]);
  });

  test('throws for a name longer than 253 characters', () => {
    const name = 'a'.repeat(254);
    expect(() => Policy.of({ name, namespace: 'shop', policyTypes: [Direction.INGRESS] })).toThrow(
      new Error(`metadata.name: name "${name}" is invalid: must be no more than 253 characters`),
    );
  });

  test('throws for a namespace that is not a DNS label, even a valid subdomain', () => {
    expect(issuesOf(() => Policy.of({ name: 'web', namespace: 'team.a', policyTypes: [Direction.INGRESS] }))).toEqual([
      { code: 'metadata.namespace', path: 'metadata.namespace', message: `namespace "team.a" is invalid: ${LABEL_RULE}` },
    ]);
  });

  test('throws for an empty name and namespace', () => {
    expect(issuesOf(() => Policy.of({ name: '', namespace: '', policyTypes: [Direction.INGRESS] })).map((i) => i.message)).toEqual([
      `name "" is invalid: ${SUBDOMAIN_RULE}`,
      `namespace "" is invalid: ${LABEL_RULE}`,
    ]);
  });

  test('throws for missing policyTypes', () => {
    expect(issuesOf(() => Policy.of({ name: 'web', namespace: 'shop', policyTypes: [] }))).toEqual([
      { code: 'policy.types', path: 'spec.policyTypes', message: 'a policy must cover Ingress, Egress or both' },
    ]);
  });

  test('throws for ingress rules without Ingress in policyTypes', () => {
    expect(issuesOf(() => Policy.of({ name: 'web', namespace: 'shop', policyTypes: [Direction.EGRESS], ingress: [fromWeb] }))).toEqual([
      {
        code: 'policy.types',
        path: 'spec.policyTypes',
        message: 'the policy has ingress rules but does not list Ingress in policyTypes; the rules would be ignored',
      },
    ]);
  });

  test('throws for egress rules without Egress in policyTypes', () => {
    expect(issuesOf(() => Policy.of({ name: 'web', namespace: 'shop', policyTypes: [Direction.INGRESS], egress: [toDns] }))).toEqual([
      {
        code: 'policy.types',
        path: 'spec.policyTypes',
        message: 'the policy has egress rules but does not list Egress in policyTypes; the rules would be ignored',
      },
    ]);
  });

  test('throws for a policy type other than Ingress or Egress, with its index', () => {
    expect(issuesOf(() => Policy.of({ name: 'web', namespace: 'shop', policyTypes: [Direction.EGRESS, 'ingress' as Direction] }))).toEqual([
      {
        code: 'policy.types',
        path: 'spec.policyTypes[1]',
        message: 'policy type "ingress" is not supported; use "Ingress" or "Egress" (case-sensitive)',
      },
    ]);
  });

  test('allowInvalidNames accepts a name and namespace the API server refuses, and still checks policyTypes', () => {
    const p = Policy.of({ name: 'allow_web', namespace: 'Team.A', policyTypes: [Direction.INGRESS] }, { allowInvalidNames: true });
    expect(p.id).toBe('Team.A/allow_web');
    expect(issuesOf(() => Policy.of({ name: 'allow_web', namespace: 'shop', policyTypes: [] }, { allowInvalidNames: true }))).toEqual([
      { code: 'policy.types', path: 'spec.policyTypes', message: 'a policy must cover Ingress, Egress or both' },
    ]);
  });

  test('throws every issue at once', () => {
    const e = caught(() => Policy.of({ name: 'Web', namespace: 'Shop', policyTypes: [], ingress: [fromWeb], egress: [toDns] }));
    expect(e.issues.map((i) => i.path)).toEqual([
      'metadata.name',
      'metadata.namespace',
      'spec.policyTypes',
      'spec.policyTypes',
      'spec.policyTypes',
    ]);
    expect(e.message.split('\n')).toHaveLength(5);
  });
});

describe('Policy.onlyDirection', () => {
  const both = Policy.of({
    name: 'api',
    namespace: 'shop',
    podSelector: LabelSelector.of({ app: 'api' }),
    policyTypes: [Direction.INGRESS, Direction.EGRESS],
    ingress: [fromWeb],
    egress: [toDns],
  });

  test('keeps the pods and the rules of one direction, isolating only that one', () => {
    const egress = both.onlyDirection(Direction.EGRESS)!;
    expect(egress.policyTypes).toEqual([Direction.EGRESS]);
    expect(egress.ingress).toEqual([]);
    expect(egress.egress).toEqual(both.egress);
    expect(egress.podSelector.isEqualTo(both.podSelector)).toBe(true);
    expect(egress.id).toBe('shop/api');
  });

  test('is undefined for a direction the policy does not isolate', () => {
    const ingressOnly = both.onlyDirection(Direction.INGRESS)!;
    expect(ingressOnly.onlyDirection(Direction.EGRESS)).toBeUndefined();
    expect(ingressOnly.onlyDirection(Direction.INGRESS)!.ingress).toEqual(both.ingress);
  });
});
