import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { clusterPolicyFromObject, nodeFromObject, readAnalysisInput, readManifests, readPolicies } from '../../lib/io';
import { ClusterPeerKind, ClusterRuleAction, ClusterTier, formatIp } from '../../lib/model';
import { NetpolError } from '../../lib/model/errors';
import { clusterPolicyToObject } from '../../lib/render';
import { clusterPolicyArb } from '../model/cluster-arbitraries';

const origin = { where: 'cnp.yaml', doc: 1 };

function read(yaml: string, options: Parameters<typeof clusterPolicyFromObject>[2] = {}) {
  return clusterPolicyFromObject(parse(yaml), origin, options);
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

const HEAD = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: p}\n';

describe('clusterPolicyFromObject', () => {
  test('reads tier, priority, subject, and rules with every kind of peer and port, in order', () => {
    const p = read(`
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard, labels: {team: platform}, annotations: {note: x}}
spec:
  tier: Admin
  priority: 15
  subject:
    pods:
      namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchLabels: {app: web}}
  ingress:
  - name: from-monitoring
    action: Accept
    from:
    - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
    - pods: {podSelector: {matchLabels: {app: probe}}}
    protocols:
    - destinationNamedPort: metrics
    - tcp: {destinationPort: {number: 9090}}
  egress:
  - action: Deny
    to:
    - networks: [169.254.169.254/32, fd00:ec2::254/128]
    - nodes: {matchLabels: {kubernetes.io/os: linux}}
    protocols:
    - udp: {destinationPort: {range: {start: 5000, end: 5100}}}
    - sctp: {destinationPort: {number: 9003}}
  - action: Accept
    to: [{domainNames: [api.stripe.com, '*.stripe.com']}]
  - action: Pass
    to: [{namespaces: {}}]
`);
    expect(p.toString()).toBe('ClusterNetworkPolicy guard (Admin, priority 15)');
    expect(p.subject.toString()).toBe('pods app=web in namespaces team=a');
    expect(p.ingress.map(String)).toEqual(['Accept namespace monitoring | pods app=probe in every namespace: TCP 9090, port metrics']);
    expect(p.ingress[0].name).toBe('from-monitoring');
    expect(p.egress.map(String)).toEqual([
      'Deny networks 169.254.169.254/32, fd00:ec2::254/128 | nodes kubernetes.io/os=linux: UDP 5000-5100, SCTP 9003',
      'Accept domains api.stripe.com, *.stripe.com: all ports',
      'Pass every pod: all ports',
    ]);
    expect(p.labels).toEqual({ team: 'platform' });
    expect(p.annotations).toEqual({ note: 'x' });
    expect(p.origin).toEqual(origin);
  });

  test('reads back what the renderer writes, for any policy', () => {
    fc.assert(
      fc.property(clusterPolicyArb, (policy) => {
        const object = clusterPolicyToObject(policy);
        const back = clusterPolicyFromObject(JSON.parse(JSON.stringify(object)));
        expect(clusterPolicyToObject(back)).toEqual(object);
        expect(back.egress.map(String)).toEqual(policy.egress.map(String));
      }),
      { numRuns: 300 },
    );
  });

  test('takes a networks CIDR with bits beyond its prefix as the API does, as its whole network, with a warning', () => {
    const warnings: string[] = [];
    const p = read(
      `${HEAD}spec: {tier: Baseline, priority: 0, subject: {namespaces: {}}, egress: [{action: Deny, to: [{networks: [10.0.0.1/8]}]}]}`,
      {
        onWarning: (m) => warnings.push(m),
      },
    );
    expect(p.egress[0].peers[0].cidrs.map(String)).toEqual(['10.0.0.0/8']);
    expect(warnings).toEqual([
      'cnp.yaml#1: spec.egress[0].to[0].networks[0]: "10.0.0.1/8" has bits set beyond its prefix; the API accepts it and matches the whole 10.0.0.0/8',
    ]);
  });

  test('throws for what the API refuses or cannot mean, each problem with its field path, located at file#doc', () => {
    const e = issuesOf(() =>
      read(`${HEAD}spec:
  tier: admin
  priority: 1001
  subject: {namespaces: {}, pods: {podSelector: {}}}
  ingress:
  - {action: Allow, from: []}
  - {action: Deny, from: [{networks: [10.0.0.0/8]}]}
  egress:
  - action: Deny
    to: [{domainNames: [evil.example.com]}]
  - action: Accept
    to: [{networks: [010.0.0.0/8, '::ffff:10.0.0.0/104']}]
  - action: Accept
    to: [{networks: [10.0.0.0/8]}]
    protocols: [{destinationNamedPort: web}]
  - action: Accept
    to: [{namespaces: {}}]
    protocols: [{tcp: {}}, {udp: {destinationPort: {range: {start: 9, end: 9}}}}, {destinationNamedPort: ''}, {tcp: {destinationPort: {number: 80}}, udp: {destinationPort: {number: 80}}}]
`),
    );
    expect(e.where).toBe('cnp.yaml#1');
    expect(e.lines).toEqual([
      'spec.tier: tier "admin" is not supported; use "Admin" or "Baseline" (case-sensitive)',
      'spec.priority: priority the number 1001 is not valid; a priority is an integer from 0 (evaluated first) to 1000',
      'spec.subject: a subject takes exactly one of namespaces, pods, this one has namespaces and pods; make them separate entries',
      'spec.ingress[0].action: action "Allow" is not supported; use "Accept", "Deny" or "Pass" (case-sensitive)',
      'spec.ingress[0].from: from needs at least one peer',
      'spec.ingress[1].from[0].networks: networks peers are for egress rules only; ingress rules take namespaces and pods peers',
      'spec.egress[0].to[0].domainNames: domainNames is supported in Accept rules only, not in Deny rules; implementations cannot enforce it there',
      'spec.egress[1].to[0].networks[0]: "010.0.0.0/8" is not a CIDR the API accepts (e.g. "10.0.0.0/8" or "fd00::/8"; no leading zeros, no IPv4-mapped IPv6)',
      'spec.egress[1].to[0].networks[1]: "::ffff:10.0.0.0/104" is not a CIDR the API accepts (e.g. "10.0.0.0/8" or "fd00::/8"; no leading zeros, no IPv4-mapped IPv6)',
      'spec.egress[2]: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames (to[0] is a networks peer)',
      'spec.egress[3].protocols[0].tcp.destinationPort: tcp needs a destinationPort: {number: <port>} or {range: {start, end}}',
      'spec.egress[3].protocols[1].udp.destinationPort.range: a range needs start and end, integers from 1 to 65535 with start less than end, got start the number 9, end the number 9',
      'spec.egress[3].protocols[2].destinationNamedPort: destinationNamedPort is empty, which implementations read as an entry with no field at all; give a container port name',
      'spec.egress[3].protocols[3]: a protocols entry takes exactly one of tcp, udp, sctp, destinationNamedPort, this one has tcp and udp; make them separate entries',
    ]);
  });

  test('throws for a missing spec, subject, tier and priority, and for unknown fields', () => {
    expect(issuesOf(() => read(HEAD)).lines).toEqual(['spec: spec is required, with tier, priority and subject']);
    expect(issuesOf(() => read(`${HEAD}spec: {ingress: [{action: Deny, from: [{namespaces: {}}], ports: [80]}]}`)).lines).toEqual([
      'spec.tier: tier is required: Admin (before NetworkPolicy) or Baseline (after it)',
      'spec.priority: priority is required: an integer from 0 (evaluated first) to 1000',
      'spec.subject: subject is required: {namespaces: {...}} or {pods: {namespaceSelector, podSelector}}',
      'spec.ingress[0].ports: unknown field "ports" in an ingress rule; the fields here are name, action, from, protocols',
    ]);
  });

  test('refuses a selector that implementations cannot evaluate, though the CRD does not check it', () => {
    expect(
      issuesOf(() => read(`${HEAD}spec: {tier: Admin, priority: 1, subject: {namespaces: {matchExpressions: [{key: a, operator: In}]}}}`))
        .lines,
    ).toEqual(['spec.subject.namespaces.matchExpressions[0].values: operator In needs at least one value']);
  });

  test('keeps an invalid name with a warning, as NetworkPolicy reading does', () => {
    const warnings: string[] = [];
    const p = read('{metadata: {name: Bad_Name}, spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}}', {
      onWarning: (m) => warnings.push(m),
    });
    expect(p.name).toBe('Bad_Name');
    expect(warnings[0]).toMatch(/^cnp\.yaml#1: ClusterNetworkPolicy Bad_Name: the API server would refuse this name \(/);
  });
});

describe('nodeFromObject', () => {
  test('reads name, labels and the IP addresses of status.addresses, host names left out', () => {
    const n = nodeFromObject(
      parse(`
kind: Node
metadata: {name: worker-1, labels: {kubernetes.io/os: linux}}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
  - {type: InternalIP, address: 'fc00:f853:ccd:e793::3'}
  - {type: Hostname, address: worker-1}
  - {type: ExternalIP, address: 172.18.0.3}
`),
    )!;
    expect(n.name).toBe('worker-1');
    expect(n.labels).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(n.addresses.map((a) => formatIp(a.family, a.value))).toEqual(['172.18.0.3', 'fc00:f853:ccd:e793::3']);
  });

  test('warns about an InternalIP that is no address, and is undefined for other kinds', () => {
    const warnings: string[] = [];
    const n = nodeFromObject(parse('{kind: Node, metadata: {name: n}, status: {addresses: [{type: InternalIP, address: nope}]}}'), origin, {
      onWarning: (m) => warnings.push(m),
    })!;
    expect(n.addresses).toEqual([]);
    expect(warnings).toEqual(['cnp.yaml#1: status.addresses[0]: "nope" is not an IP address; ignored']);
    expect(nodeFromObject({ kind: 'Pod' })).toBeUndefined();
  });
});

describe('reading manifests with ClusterNetworkPolicies, Nodes and host-networked pods', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cnp-'));
    fs.writeFileSync(
      path.join(dir, 'all.yaml'),
      `${HEAD}spec: {tier: Baseline, priority: 3, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: old}
spec: {priority: 1, subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: ClusterNetworkPolicy
metadata: {name: other-version}
spec: {}
---
kind: Node
metadata: {name: worker, labels: {kubernetes.io/os: linux}}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
---
kind: Pod
metadata: {name: agent, namespace: infra, labels: {app: agent}}
spec: {hostNetwork: true, nodeName: worker, containers: [{name: a, ports: [{containerPort: 9100, name: metrics}]}]}
status: {podIP: 172.18.0.2}
---
kind: DaemonSet
metadata: {name: exporter, namespace: infra}
spec: {template: {metadata: {labels: {app: exporter}}, spec: {hostNetwork: true, containers: [{name: e}]}}}
---
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: w}]}
`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('ClusterNetworkPolicies become clusterPolicies, Nodes the cluster nodes, hostNetwork a workload flag', () => {
    const m = readManifests([dir]);
    expect(m.clusterPolicies.map(String)).toEqual(['ClusterNetworkPolicy p (Baseline, priority 3)']);
    expect(m.clusterPolicies[0].ingress[0].action).toBe(ClusterRuleAction.DENY);
    expect(m.clusterPolicies[0].tier).toBe(ClusterTier.BASELINE);
    expect(m.cluster.nodes?.map((n) => n.name)).toEqual(['worker']);
    expect(m.cluster.workloads.map((w) => `${w.namespace}/${w.name} ${w.hostNetwork === true}`)).toEqual([
      'infra/agent true',
      'infra/exporter true',
      'shop/web false',
    ]);
    const f = path.join(dir, 'all.yaml');
    expect(m.warnings).toEqual([
      `${f}#1: ClusterNetworkPolicy p is defined again; the definition at ${f}#0 is used`,
      `${f}#2: AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) was replaced by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and is not analysed; rewrite it as a ClusterNetworkPolicy of the Admin tier`,
      `${f}#3: a ClusterNetworkPolicy of apiVersion "policy.networking.k8s.io/v1alpha1" is not the one this tool reads (policy.networking.k8s.io/v1alpha2); ignored`,
    ]);
  });

  test('readPolicies and readAnalysisInput take ClusterNetworkPolicies with the policies, Nodes with the cluster', () => {
    expect(readPolicies([dir]).clusterPolicies).toHaveLength(1);
    const input = readAnalysisInput([dir], [dir]);
    expect(input.clusterPolicies).toHaveLength(1);
    expect(input.cluster.nodes).toHaveLength(1);
    const kinds = input.clusterPolicies[0].ingress[0].peers.map((p) => p.kind);
    expect(kinds).toEqual([ClusterPeerKind.NAMESPACES]);
  });

  test('a broken ClusterNetworkPolicy is skipped with a warning under skipInvalid', () => {
    const f = path.join(dir, 'broken.yaml');
    fs.writeFileSync(f, `${HEAD}spec: {tier: Admin, priority: -1, subject: {namespaces: {}}}\n`);
    try {
      expect(() => readManifests([f])).toThrow(`${f}#0: spec.priority: priority the number -1 is not valid`);
      const m = readManifests([f], { skipInvalid: true });
      expect(m.clusterPolicies).toEqual([]);
      expect(m.warnings).toEqual([
        `${f}#0: skipped, it cannot be read: spec.priority: priority the number -1 is not valid; a priority is an integer from 0 (evaluated first) to 1000`,
      ]);
    } finally {
      fs.rmSync(f);
    }
  });
});
