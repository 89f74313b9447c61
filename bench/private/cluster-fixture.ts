/**
 * A realistic cluster, made up from a seed: namespaces of teams, Deployments whose pods carry
 * app/tier labels, named container ports and pod IPs (as `kubectl get pods -A -o yaml` lists
 * them, owned by ReplicaSets), and the NetworkPolicies a platform team writes for them: a
 * default deny and DNS egress per namespace, monitoring scrapes from another namespace, a chain
 * of tiers inside each namespace, cross-namespace calls and egress to external databases by
 * CIDR. A second set of policies (`policies-after/`) is the same with a small change, for diff.
 *
 * The same options and seed give the same bytes on every run.
 */
import * as fs from 'fs';
import * as path from 'path';

/** What to generate. */
export interface ClusterShape {
  /** NetworkPolicies in `policies/` (at least 3 per namespace). */
  readonly policies: number;
  /** Pods in `cluster/`. */
  readonly pods: number;
  /** Application namespaces (besides kube-system, monitoring and ingress-nginx). */
  readonly namespaces: number;
  /** Pods per Deployment. */
  readonly replicas: number;
  /** Seed of the pseudo-random choices. */
  readonly seed: number;
  /** `yaml`: one document per object; `list`: one `kind: List` per file; `json`: a List as JSON. */
  readonly format: 'yaml' | 'list' | 'json';
  /**
   * The share of namespaces without any policy (legacy namespaces nobody has isolated): their
   * pods reach and are reached by everything not isolated, which makes reachability large.
   */
  readonly open: number;
}

/** The shapes the bench knows by name, after the rows of the table that motivated it. */
export const CLUSTER_SIZES: Record<string, ClusterShape> = {
  small: { policies: 100, pods: 500, namespaces: 10, replicas: 5, seed: 1, format: 'yaml', open: 0.1 },
  medium: { policies: 1000, pods: 2500, namespaces: 50, replicas: 5, seed: 1, format: 'yaml', open: 0.1 },
  wide: { policies: 3000, pods: 2500, namespaces: 200, replicas: 5, seed: 1, format: 'yaml', open: 0.1 },
  large: { policies: 3000, pods: 10000, namespaces: 200, replicas: 5, seed: 1, format: 'yaml', open: 0.1 },
};

/** Where the files went and what they hold. */
export interface WrittenCluster {
  readonly dir: string;
  /** Namespaces, Pods (with their owners), kube-dns and monitoring. */
  readonly cluster: string;
  readonly policies: string;
  readonly policiesAfter: string;
  /** Bytes of `cluster/` and `policies/` together. */
  readonly bytes: number;
  readonly counts: { namespaces: number; workloads: number; pods: number; policies: number; policiesAfter: number };
  /** Two workloads (`namespace/name`) and a port that `explain` can be asked about: the first tier's call to the second. */
  readonly probe: { from: string; to: string; port: string };
}

/** A small, fast pseudo-random generator (mulberry32): the same seed, the same sequence. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const TIERS = ['frontend', 'api', 'backend', 'worker', 'cache', 'db'] as const;
/** The container port each tier serves on: name, number. */
const TIER_PORTS: Record<(typeof TIERS)[number], Array<[string, number]>> = {
  frontend: [['http', 8080]],
  api: [
    ['http', 8080],
    ['grpc', 9000],
  ],
  backend: [['http', 8080]],
  worker: [['http', 8081]],
  cache: [['redis', 6379]],
  db: [['postgres', 5432]],
};
const WORDS = ['orders', 'billing', 'search', 'catalog', 'auth', 'cart', 'ledger', 'mail', 'media', 'ranking', 'geo', 'audit'];

interface Deployment {
  readonly namespace: string;
  readonly name: string;
  readonly tier: (typeof TIERS)[number];
  readonly labels: Record<string, string>;
  readonly ports: Array<[string, number]>;
  readonly replicas: number;
  /** The ReplicaSet that owns the pods: the workload as the analyzer names it. */
  readonly replicaSet: string;
}

/** Generates the cluster and both policy sets as objects, file by file (relative path → objects). */
export function generateCluster(shape: ClusterShape): {
  cluster: Map<string, Json[]>;
  policies: Map<string, Json[]>;
  policiesAfter: Map<string, Json[]>;
  deployments: Deployment[];
} {
  const rnd = random(shape.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  // pod-template-hash and pod name suffixes use the alphabet Kubernetes uses for them (no vowels)
  const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
  const safe = (n: number) => Array.from({ length: n }, () => SAFE[Math.floor(rnd() * SAFE.length)]).join('');
  const nsCount = Math.max(1, shape.namespaces);
  const workloadCount = Math.max(1, Math.round(shape.pods / shape.replicas));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `${pick(WORDS)}-${String(i).padStart(3, '0')}`);
  const teamOf = (i: number) => `team-${i % Math.max(1, Math.round(nsCount / 4))}`;

  // Deployments, spread over the namespaces; tiers in order within a namespace
  const deployments: Deployment[] = [];
  let podsLeft = shape.pods;
  for (let w = 0; w < workloadCount; w++) {
    const nsIndex = w % nsCount;
    const within = Math.floor(w / nsCount);
    const tier = TIERS[within % TIERS.length];
    const name = within < TIERS.length ? tier : `${tier}-${Math.floor(within / TIERS.length)}`;
    const replicas = w === workloadCount - 1 ? Math.max(1, podsLeft) : Math.min(shape.replicas, Math.max(1, podsLeft));
    podsLeft -= replicas;
    deployments.push({
      namespace: namespaces[nsIndex],
      name,
      tier,
      labels: { app: name, tier, 'app.kubernetes.io/part-of': namespaces[nsIndex] },
      ports: [...TIER_PORTS[tier], ['metrics', 9090]],
      replicas,
      replicaSet: `${name}-${safe(10)}`,
    });
  }
  const byNamespace = new Map<string, Deployment[]>();
  for (const d of deployments) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);

  // the cluster: Namespaces, then each namespace's pods
  const cluster = new Map<string, Json[]>();
  const nsObject = (name: string, labels: Record<string, string>): Json => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  });
  cluster.set('00-namespaces', [
    nsObject('kube-system', {}),
    nsObject('monitoring', { purpose: 'observability' }),
    nsObject('ingress-nginx', { purpose: 'ingress' }),
    ...namespaces.map((n, i) => nsObject(n, { team: teamOf(i), env: i % 3 === 0 ? 'prod' : 'staging' })),
  ]);
  let ip = 0;
  const podIp = () => {
    ip++;
    return `10.244.${(ip >> 8) & 255}.${ip & 255}`;
  };
  const pods = (d: Deployment): Json[] => {
    const rs = d.replicaSet;
    return Array.from({ length: d.replicas }, () => {
      const name = `${rs}-${safe(5)}`;
      const addr = podIp();
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: d.namespace,
          labels: { ...d.labels, 'pod-template-hash': rs.slice(-10) },
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs,
              uid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
          uid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
          creationTimestamp: '2025-03-01T10:00:00Z',
        },
        spec: {
          containers: [
            {
              name: d.tier,
              image: `registry.example.com/${d.namespace}/${d.name}:1.${Math.floor(rnd() * 20)}.0`,
              ports: d.ports.map(([n, p]) => ({ name: n, containerPort: p, protocol: 'TCP' })),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: d.ports[0][0] }, periodSeconds: 10 },
            },
          ],
          serviceAccountName: d.name,
          nodeName: `node-${Math.floor(rnd() * 40)}`,
        },
        status: { phase: 'Running', podIP: addr, podIPs: [{ ip: addr }], hostIP: `10.0.0.${Math.floor(rnd() * 40) + 1}` },
      };
    });
  };
  const systemPod = (namespace: string, name: string, labels: Record<string, string>, ports: Array<[string, number, string]>): Json => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${hex(10)}-${hex(5)}`,
      namespace,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, controller: true }],
    },
    spec: {
      containers: [
        {
          name,
          image: `registry.example.com/${name}:1.0`,
          ports: ports.map(([n, p, proto]) => ({ name: n, containerPort: p, protocol: proto })),
        },
      ],
    },
    status: { phase: 'Running', podIP: podIp() },
  });
  cluster.set('01-system', [
    systemPod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
      ['dns', 53, 'UDP'],
      ['dns-tcp', 53, 'TCP'],
    ]),
    systemPod('monitoring', 'prometheus', { app: 'prometheus' }, [['web', 9090, 'TCP']]),
    systemPod('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, [
      ['http', 80, 'TCP'],
      ['https', 443, 'TCP'],
    ]),
  ]);
  for (const [i, ns] of namespaces.entries())
    cluster.set(`${String(i + 2).padStart(2, '0')}-${ns}`, (byNamespace.get(ns) ?? []).flatMap(pods));

  // the policies: three per namespace, then per-workload ones in turn until the count is reached
  const policies = new Map<string, Json[]>();
  // the open namespaces are spread evenly; the policies go to the others
  const openEvery = shape.open > 0 ? Math.max(1, Math.round(1 / shape.open)) : 0;
  const isOpen = (i: number) => openEvery > 0 && i % openEvery === openEvery - 1;
  const guarded = namespaces.filter((_, i) => !isOpen(i)).length;
  let rank = 0;
  const perNs = namespaces.map((_, i) => {
    if (isOpen(i)) return 0;
    const r = rank++;
    return Math.floor(shape.policies / guarded) + (r < shape.policies % guarded ? 1 : 0);
  });
  const np = (namespace: string, name: string, spec: Record<string, Json>): Json => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'platform' } },
    spec,
  });
  const nsSel = (name: string): Json => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
  const port = (p: string | number, protocol = 'TCP'): Json => ({ protocol, port: p });
  for (const [i, ns] of namespaces.entries()) {
    if (perNs[i] === 0) continue;
    const ds = byNamespace.get(ns) ?? [];
    const out: Json[] = [
      np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      np(ns, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: nsSel('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [port(53, 'UDP'), port(53)],
          },
        ],
      }),
      np(ns, 'allow-monitoring', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: nsSel('monitoring'), podSelector: { matchLabels: { app: 'prometheus' } } }],
            ports: [port('metrics')],
          },
        ],
      }),
    ];
    // kinds of per-workload policy, in the order they are handed out
    const kinds = ['chain', 'cross', 'external', 'ingress'] as const;
    for (let k = 0; out.length < perNs[i] && ds.length > 0; k++) {
      const kind = kinds[Math.floor(k / ds.length) % kinds.length];
      const round = Math.floor(k / (ds.length * kinds.length));
      const d = ds[k % ds.length];
      const suffix = round === 0 ? '' : `-${round}`;
      const sel = { matchLabels: { app: d.name } };
      const prev = ds[(k % ds.length) - 1];
      const next = ds[(k % ds.length) + 1];
      if (kind === 'chain') {
        // ingress from the tier before, egress to the tier after, on their named ports
        const spec: Record<string, Json> = { podSelector: sel, policyTypes: ['Ingress', 'Egress'] };
        spec.ingress = prev ? [{ from: [{ podSelector: { matchLabels: { app: prev.name } } }], ports: [port(d.ports[0][0])] }] : [];
        spec.egress = next ? [{ to: [{ podSelector: { matchLabels: { app: next.name } } }], ports: [port(next.ports[0][1])] }] : [];
        out.push(np(ns, `${d.name}${suffix}`, spec));
      } else if (kind === 'cross') {
        // callers of the same tier in another team's namespaces
        const other = namespaces[Math.floor(rnd() * nsCount)];
        out.push(
          np(ns, `${d.name}-from-${other}${suffix}`, {
            podSelector: sel,
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: nsSel(other),
                    podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'backend'] }] },
                  },
                  { namespaceSelector: { matchLabels: { team: teamOf(i) } }, podSelector: { matchLabels: { tier: 'frontend' } } },
                ],
                ports: d.ports.slice(0, 1).map(([, p]) => port(p)),
              },
            ],
          }),
        );
      } else if (kind === 'external') {
        const net = Math.floor(rnd() * 250);
        out.push(
          np(ns, `${d.name}-to-external${suffix}`, {
            podSelector: sel,
            policyTypes: ['Egress'],
            egress: [
              {
                to: [{ ipBlock: { cidr: `172.${16 + (net % 16)}.${net}.0/24`, except: [`172.${16 + (net % 16)}.${net}.128/25`] } }],
                ports: [port(5432), { protocol: 'TCP', port: 32000, endPort: 32767 }],
              },
            ],
          }),
        );
      } else {
        out.push(
          np(ns, `${d.name}-from-ingress${suffix}`, {
            podSelector: sel,
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: nsSel('ingress-nginx') }], ports: [port(d.ports[0][0]), port(443)] }],
          }),
        );
      }
    }
    policies.set(ns, out);
  }

  // after: every 25th namespace drops a policy, every 10th changes a port, every 40th adds a rule
  const policiesAfter = new Map<string, Json[]>();
  for (const [i, ns] of namespaces.entries()) {
    if (!policies.has(ns)) continue;
    let list = JSON.parse(JSON.stringify(policies.get(ns))) as Array<{ [k: string]: any }>;
    if (i % 25 === 0 && list.length > 3) list = list.filter((_, j) => j !== list.length - 1);
    if (i % 10 === 0) {
      const chain = list.find((p) => p.spec.egress?.[0]?.ports?.[0] && typeof p.spec.egress[0].ports[0].port === 'number');
      if (chain) chain.spec.egress[0].ports[0].port += 1;
    }
    if (i % 40 === 0) {
      const target = list[3] ?? list[0];
      target.spec.ingress = [
        ...(target.spec.ingress ?? []),
        { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8443 }] },
      ];
      if (!target.spec.policyTypes.includes('Ingress')) target.spec.policyTypes = ['Ingress', ...target.spec.policyTypes];
    }
    policiesAfter.set(ns, list);
  }
  return { cluster, policies, policiesAfter, deployments };
}

/** Writes the cluster into `dir` (created; files in it are replaced) and says what it holds. */
export function writeCluster(dir: string, shape: ClusterShape): WrittenCluster {
  const { cluster, policies, policiesAfter, deployments } = generateCluster(shape);
  let bytes = 0;
  const write = (sub: string, files: Map<string, Json[]>, counted: boolean) => {
    const folder = path.join(dir, sub);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    for (const [name, objects] of files) {
      const text = serialize(objects, shape.format);
      if (counted) bytes += Buffer.byteLength(text);
      fs.writeFileSync(path.join(folder, `${name}.${shape.format === 'json' ? 'json' : 'yaml'}`), text);
    }
    return folder;
  };
  const count = (m: Map<string, Json[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
  const first = deployments[0];
  const second = deployments.find((d) => d.namespace === first.namespace && d !== first) ?? first;
  return {
    dir,
    cluster: write('cluster', cluster, true),
    policies: write('policies', policies, true),
    policiesAfter: write('policies-after', policiesAfter, false),
    bytes,
    counts: {
      namespaces: shape.namespaces,
      workloads: deployments.length,
      pods: deployments.reduce((n, d) => n + d.replicas, 0),
      policies: count(policies),
      policiesAfter: count(policiesAfter),
    },
    probe: {
      from: `${first.namespace}/${first.replicaSet}`,
      to: `${second.namespace}/${second.replicaSet}`,
      port: `${second.ports[0][1]}/TCP`,
    },
  };
}

/** The objects of one file in the chosen format. */
export function serialize(objects: readonly Json[], format: ClusterShape['format']): string {
  if (format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  if (format === 'list') return `apiVersion: v1\nkind: List\nitems:\n${block(objects as Json[], 0)}`;
  return objects.map((o) => `---\n${block(o, 0)}`).join('');
}

/** A scalar as YAML: plain where YAML 1.1 reads it back as the same string, else double-quoted. */
function scalar(v: Json): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  const plain = /^[A-Za-z/][A-Za-z0-9./_-]*$/.test(v) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

/** Block-style YAML as `kubectl get -o yaml` writes it: two-space indents, lists not indented under their key. */
function block(v: Json, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return v
      .map((x) => {
        if (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length > 0) {
          return `${pad}- ${block(x, indent + 2).slice(indent + 2)}`;
        }
        return `${pad}- ${typeof x === 'object' && x !== null ? block(x, indent + 2) : scalar(x)}\n`;
      })
      .join('');
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, x]) => {
        const key = scalar(k);
        if (Array.isArray(x) && x.length > 0) return `${pad}${key}:\n${block(x, indent)}`;
        if (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length > 0) {
          return `${pad}${key}:\n${block(x, indent + 2)}`;
        }
        return `${pad}${key}: ${typeof x === 'object' && x !== null ? block(x, indent) : scalar(x)}\n`;
      })
      .join('');
  }
  return `${scalar(v)}\n`;
}
