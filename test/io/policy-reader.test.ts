import { parse } from 'yaml';
import { policyFromObject } from '../../lib/io';
import { NetpolError } from '../../lib/model/errors';
import { policyToObject } from '../../lib/render/policy-object';

const origin = { where: 'netpol.yaml', doc: 2 };

function read(yaml: string, options: Parameters<typeof policyFromObject>[2] = {}) {
  return policyFromObject(parse(yaml), origin, options);
}

function issuesOf(fn: () => unknown): { where?: string; lines: string[] } {
  try {
    fn();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return { where: e.where, lines: e.issues.map((i) => `${i.path}: ${i.message}`) };
  }
  throw new Error('expected a NetpolError');
}

describe('policyFromObject', () => {
  test('reads selectors, peers of every kind and ports, keeping their order', () => {
    const p = read(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop, labels: {team: a}, annotations: {note: x}}
spec:
  podSelector:
    matchLabels: {app: db}
    matchExpressions: [{key: tier, operator: NotIn, values: [cache]}]
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    - namespaceSelector: {matchLabels: {team: ops}}
    - namespaceSelector: {}
      podSelector: {matchExpressions: [{key: app, operator: Exists}]}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - port: 5432
    - {protocol: UDP, port: 5000, endPort: 5010}
    - {protocol: SCTP}
    - {port: metrics}
  egress:
  - {}
`);
    expect(p.id).toBe('shop/db');
    expect(p.podSelector.toString()).toBe('app=db,tier notin (cache)');
    expect(p.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(p.ingress.map(String)).toEqual([
      'pods app=web | namespaces team=ops | namespaces * pods app | 10.0.0.0/8 except 10.1.0.0/16: TCP 5432, UDP 5000-5010, SCTP *, TCP metrics',
    ]);
    expect(p.egress.map(String)).toEqual(['*: all ports']);
    expect(p.labels).toEqual({ team: 'a' });
    expect(p.annotations).toEqual({ note: 'x' });
    expect(p.origin).toEqual(origin);
  });

  test('a missing namespace is default and a missing podSelector selects every pod', () => {
    const p = read('{kind: NetworkPolicy, metadata: {name: all}, spec: {}}');
    expect(p.id).toBe('default/all');
    expect(p.podSelector.isEmpty).toBe(true);
    expect(p.policyTypes).toEqual(['Ingress']);
  });

  test('without policyTypes, Egress is covered only when there are egress rules', () => {
    expect(read('{metadata: {name: a}, spec: {egress: [{}]}}').policyTypes).toEqual(['Egress', 'Ingress']);
    expect(read('{metadata: {name: a}, spec: {egress: [], policyTypes: []}}').policyTypes).toEqual(['Ingress']);
  });

  test('rules of a direction that policyTypes leaves out are dropped with a warning', () => {
    const warnings: string[] = [];
    const p = read('{metadata: {name: a}, spec: {policyTypes: [Egress], ingress: [{}, {}], egress: [{}]}}', {
      onWarning: (m) => warnings.push(m),
    });
    expect(p.ingress).toEqual([]);
    expect(p.egress).toHaveLength(1);
    expect(warnings).toEqual([
      'netpol.yaml#2: spec.ingress: policyTypes ["Egress"] does not list Ingress, so Kubernetes ignores the 2 ingress rule(s); they are left out of the analysis',
    ]);
  });

  test('a name the API server would refuse is read as written, with a warning', () => {
    const warnings: string[] = [];
    const p = read('{metadata: {name: allow_web}, spec: {}}', { onWarning: (m) => warnings.push(m), location: 'x.yaml#0.items[3]' });
    expect(p.name).toBe('allow_web');
    expect(warnings).toEqual([
      "x.yaml#0.items[3]: NetworkPolicy default/allow_web: the API server would refuse this name (must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')); analysed as written",
    ]);
  });

  test('host bits in a CIDR are accepted only with legacyCidrs', () => {
    const yaml = '{metadata: {name: a}, spec: {ingress: [{from: [{ipBlock: {cidr: 10.0.0.1/8}}]}]}}';
    expect(read(yaml, { legacyCidrs: true }).ingress[0].peers[0].toString()).toBe('10.0.0.0/8');
    expect(issuesOf(() => read(yaml)).lines).toEqual([
      'spec.ingress[0].from[0].ipBlock.cidr: CIDR "10.0.0.1/8" has bits set beyond its /8 prefix; write the network address "10.0.0.0/8" (or "10.0.0.1/32" for the single address)',
    ]);
  });

  test('throws every problem at once, located at file#doc, with API-server field paths', () => {
    const e = issuesOf(() =>
      read(`
metadata: {name: bad}
spec:
  policyTypes: [ingress]
  podSelector: {matchLabels: {version: 2}}
  ingress:
  - from:
    - {}
    - {podSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}
    - {podSelector: {matchExpressions: [{key: app, operator: in, values: [a]}]}}
    ports:
    - {port: 80, endPort: 79}
    - {protocol: tcp, port: 80}
    - {port: "8080"}
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]
    ports: [{port: true}]
`),
    );
    expect(e.where).toBe('netpol.yaml#2');
    expect(e.lines).toEqual([
      'spec.podSelector.matchLabels: label "version" has the value 2; label values are strings (quote numbers and booleans in YAML)',
      'spec.ingress[0].from[0]: a peer must have a podSelector, a namespaceSelector or an ipBlock; to match everything, leave out the from/to list (Peer.any())',
      'spec.ingress[0].from[1]: a peer may not combine ipBlock with podSelector or namespaceSelector; make them separate peers',
      'spec.ingress[0].from[2].podSelector.matchExpressions[0].operator: operator "in" is not valid; use In, NotIn, Exists or DoesNotExist (case-sensitive)',
      'spec.ingress[0].ports[0].endPort: endPort 79 is below port 80; endPort must be greater than or equal to port',
      'spec.ingress[0].ports[1].protocol: protocol "tcp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)',
      'spec.ingress[0].ports[2].port: port name "8080" is all digits; a quoted number is read as a port name, so write the number 8080 without quotes',
      'spec.egress[0].to[0].ipBlock.except[0]: except "11.0.0.0/16" must be strictly within the cidr "10.0.0.0/8"; remove it or use a smaller range inside the cidr',
      'spec.egress[0].ports[0].port: port must be a number or a port name, got the boolean true (unquoted y, n, yes, no, on and off are booleans in YAML as Kubernetes reads it: quote the text)',
      'spec.policyTypes[0]: policy type "ingress" is not supported; use "Ingress" or "Egress" (case-sensitive)',
    ]);
  });

  test('throws on a missing name, on lists that are not lists, and on non-objects', () => {
    expect(issuesOf(() => read('{spec: {ingress: {from: []}}}')).lines).toEqual([
      'metadata.name: name is required; give the NetworkPolicy a metadata.name',
      'spec.ingress: ingress must be a list of rules, got a map',
    ]);
    expect(issuesOf(() => read('[1, 2]')).lines).toEqual([': expected a NetworkPolicy object, got a list of 2 entries']);
    expect(
      issuesOf(() =>
        read(
          '{metadata: {name: a}, spec: {ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: a, operator: In, values: [1]}]}}]}]}}',
        ),
      ).lines,
    ).toEqual([
      'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values[0]: value the number 1 must be a string; quote numbers and booleans in YAML',
    ]);
  });
});

describe('policyToObject', () => {
  test('renders the NetworkPolicy a policy was read from, with explicit policyTypes', () => {
    const source = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Egress', 'Ingress'],
        ingress: [
          {
            ports: [
              { protocol: 'TCP', port: 5432 },
              { protocol: 'UDP', port: 5000, endPort: 5010 },
              { protocol: 'TCP', port: 'metrics' },
            ],
            from: [
              { podSelector: { matchLabels: { app: 'web' } } },
              { namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            ],
          },
        ],
        egress: [{}],
      },
    };
    expect(policyToObject(policyFromObject(source))).toEqual(source);
  });

  test('a policy read again from its rendered object is the same policy', () => {
    const p = read(
      '{metadata: {name: a, namespace: b}, spec: {podSelector: {matchLabels: {x: y}}, egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns}}}], ports: [{port: 53, protocol: UDP}]}]}}',
    );
    const again = policyFromObject(policyToObject(p));
    expect(policyToObject(again)).toEqual(policyToObject(p));
    expect(again.policyTypes).toEqual(['Egress', 'Ingress']);
  });
});
