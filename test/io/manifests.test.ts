import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { formatIp } from '../../lib/model/cidr';
import { Workload } from '../../lib/model/cluster';
import { namespaceFromObject, readAnalysisInput, readCluster, readManifests, readPolicies, workloadFromObject } from '../../lib/io';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-io-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function summary(w: Workload): string {
  const ports = w.ports.map((p) => `${p.name ?? ''}:${p.containerPort}/${p.protocol}`).join(',');
  const ips = (w.ips ?? []).map((ip) => formatIp(ip.family, ip.value)).join(',');
  return `${w.namespace}/${w.name}[${w.kind}] ${JSON.stringify(w.labels)} ports=${ports} ips=${ips}`;
}

const template = (labels: string, ports = '') =>
  `{metadata: {labels: ${labels}}, spec: {containers: [{name: c, ports: [${ports}]}], initContainers: [{name: i, ports: [{containerPort: 1}]}]}}`;

describe('workloadFromObject', () => {
  test.each([
    ['Deployment', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['StatefulSet', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['DaemonSet', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['ReplicaSet', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['ReplicationController', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['Job', `spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}`],
    ['CronJob', `spec: {jobTemplate: {spec: {template: ${template('{app: a}', '{name: http, containerPort: 8080}')}}}}`],
  ])('a %s stands for the pods of its template: their labels and container ports, not initContainers', (kind, spec) => {
    const w = workloadFromObject(parse(`{kind: ${kind}, metadata: {name: x, namespace: ns, labels: {owner: label}}, ${spec}}`));
    expect(summary(w!)).toBe(`ns/x[${kind}] {"app":"a"} ports=http:8080/TCP ips=`);
  });

  test('a Pod without owner is itself, with its IPs from podIPs and podIP', () => {
    const w = workloadFromObject(
      parse(`
kind: Pod
metadata: {name: p, labels: {app: a}}
spec: {containers: [{name: c, ports: [{containerPort: 53, protocol: UDP}]}, {name: d, ports: [{name: x, containerPort: 9000, protocol: SCTP}]}]}
status: {podIP: 10.0.0.5, podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]}
`),
    );
    expect(summary(w!)).toBe('default/p[Pod] {"app":"a"} ports=:53/UDP,x:9000/SCTP ips=10.0.0.5,fd00::5');
  });

  test('a Pod with a controller owner is named after the owner, with its kind', () => {
    const owned = (refs: string) =>
      summary(workloadFromObject(parse(`{kind: Pod, metadata: {name: p-1, namespace: n, ownerReferences: ${refs}}}`))!);
    expect(owned('[{kind: ReplicaSet, name: web-5d9, controller: true}]')).toBe('n/web-5d9[ReplicaSet] {} ports= ips=');
    expect(owned('[{kind: ConfigMap, name: c}, {kind: Job, name: batch, controller: true}]')).toBe('n/batch[Job] {} ports= ips=');
    expect(owned('[{name: internal, controller: true}]')).toBe('n/internal[Pod] {} ports= ips=');
    expect(owned('[{kind: Node, name: minikube, controller: true}]')).toBe('n/p-1[Pod] {} ports= ips=');
    expect(owned('[{kind: ReplicaSet, name: web-5d9}]')).toBe('n/p-1[Pod] {} ports= ips=');
  });

  test('ignores kinds that are not workloads', () => {
    expect(workloadFromObject(parse('{kind: Service, metadata: {name: s}}'))).toBeUndefined();
    expect(workloadFromObject(parse('{kind: Namespace, metadata: {name: s}}'))).toBeUndefined();
  });

  test('a container port without containerPort is passed over with a warning', () => {
    const warnings: string[] = [];
    const w = workloadFromObject(
      parse(
        '{kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, ports: [{name: udps, containerport: 3535}, {containerPort: 80}]}]}}',
      ),
      { where: 'pods.yaml', doc: 1 },
      { onWarning: (m) => warnings.push(m) },
    );
    expect(w!.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(warnings).toEqual([
      'pods.yaml#1: spec.containers[0].ports[0]: containerPort is missing (found "containerport"; keys are case-sensitive); this port is ignored, so named ports cannot resolve to it',
    ]);
  });

  test('throws on what cannot be read, with field paths', () => {
    expect(() => workloadFromObject(parse('{kind: Deployment, metadata: {name: d}, spec: {}}'), { where: 'd.yaml', doc: 0 })).toThrow(
      'd.yaml#0: spec.template: a Deployment needs a pod template at spec.template',
    );
    expect(() => workloadFromObject(parse('{kind: Pod, metadata: {labels: {v: 1}}}'), { where: 'p.yaml', doc: 3 })).toThrow(
      'p.yaml#3:\n  metadata.name: name is required\n  metadata.labels.v: "v" has the value the number 1; values here are strings (quote numbers and booleans in YAML)',
    );
    expect(() =>
      workloadFromObject(
        parse(
          '{kind: Pod, metadata: {name: p}, spec: {containers: [{ports: [{containerPort: 70000, protocol: TCP}, {containerPort: 80, protocol: tcp}]}]}}',
        ),
      ),
    ).toThrow(
      'spec.containers[0].ports[0].containerPort: containerPort must be an integer from 1 to 65535, got the number 70000\nspec.containers[0].ports[1].protocol: protocol "tcp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)',
    );
  });

  test('an unreadable pod IP is ignored with a warning', () => {
    const warnings: string[] = [];
    const w = workloadFromObject(parse('{kind: Pod, metadata: {name: p}, status: {podIP: "10.0.0.300"}}'), undefined, {
      onWarning: (m) => warnings.push(m),
    });
    expect(w!.ips).toBeUndefined();
    expect(warnings).toEqual(['status: pod IP "10.0.0.300" is not an IP address; ignored']);
  });
});

describe('namespaceFromObject', () => {
  test('reads the labels and adds kubernetes.io/metadata.name', () => {
    expect(namespaceFromObject(parse('{kind: Namespace, metadata: {name: prod, labels: {env: prod}}}'))).toEqual({
      name: 'prod',
      labels: { env: 'prod', 'kubernetes.io/metadata.name': 'prod' },
    });
  });
});

describe('readManifests', () => {
  test('reads folders recursively, multi-document YAML, JSON, List and *List, ignoring other kinds', () => {
    write(
      'a/policies.yaml',
      '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p1}, spec: {}}\n---\n{kind: Service, metadata: {name: s}}\n',
    );
    write('a/b/list.yml', 'kind: List\nitems:\n- {kind: Pod, metadata: {name: one}}\n- {kind: ConfigMap, metadata: {name: c}}\n');
    write('ns.json', JSON.stringify({ kind: 'NamespaceList', items: [{ metadata: { name: 'prod', labels: { env: 'prod' } } }] }));
    write('pods.json', JSON.stringify({ kind: 'PodList', items: [{ metadata: { name: 'two', namespace: 'prod' } }] }));
    write('notes.txt', 'not a manifest');
    const m = readManifests([dir]);
    expect(m.policies.map((p) => p.id)).toEqual(['default/p1']);
    expect(m.cluster.namespaces).toEqual([{ name: 'prod', labels: { env: 'prod', 'kubernetes.io/metadata.name': 'prod' } }]);
    expect(m.cluster.workloads.map(summary)).toEqual(['default/one[Pod] {} ports= ips=', 'prod/two[Pod] {} ports= ips=']);
    expect(m.warnings).toEqual([]);
  });

  test('pods of one owner with the same labels are one workload with all IPs; with different labels, one per label set named after its first pod', () => {
    const file = write(
      'pods.yaml',
      `
{kind: ReplicaSet, metadata: {name: web-1, namespace: ns1}, spec: {template: {metadata: {labels: {app: web}}}}}
---
{kind: Pod, metadata: {name: web-1-a, namespace: ns1, labels: {app: web, h: "1"}, ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]}, status: {podIP: 10.0.0.1}}
---
{kind: Pod, metadata: {name: web-1-b, namespace: ns1, labels: {app: web, h: "1"}, ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]}, status: {podIP: 10.0.0.2}}
---
{kind: Pod, metadata: {name: odd-a, namespace: ns1, labels: {app: a}, ownerReferences: [{kind: Job, name: odd, controller: true}]}}
---
{kind: Pod, metadata: {name: odd-b, namespace: ns1, labels: {app: b}, ownerReferences: [{kind: Job, name: odd, controller: true}]}}
---
{kind: ReplicaSet, metadata: {name: web-1, namespace: ns1}, spec: {template: {metadata: {labels: {app: other}}}}}
`,
    );
    const m = readManifests([file]);
    // the pods stand for their ReplicaSet: the labels are theirs, not the template's
    expect(m.cluster.workloads.map(summary)).toEqual([
      'ns1/web-1[ReplicaSet] {"app":"web","h":"1"} ports= ips=10.0.0.1,10.0.0.2',
      'ns1/odd-a[Job] {"app":"a"} ports= ips=',
      'ns1/odd-b[Job] {"app":"b"} ports= ips=',
    ]);
    expect(m.cluster.workloads.map((w) => w.owner)).toEqual([undefined, { name: 'odd', kind: 'Job' }, { name: 'odd', kind: 'Job' }]);
    expect(m.warnings).toEqual([`${file}#5: ReplicaSet ns1/web-1 is defined again; the definition at ${file}#0 is used`]);
  });

  test('passes over a NetworkPolicy of another API group and a repeated policy, with warnings', () => {
    const file = write(
      'p.yaml',
      `
{apiVersion: crd.projectcalico.org/v1, kind: NetworkPolicy, metadata: {name: calico}, spec: {selector: all()}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: {}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: {policyTypes: [Egress]}}
`,
    );
    const m = readManifests([file]);
    expect(m.policies.map((p) => `${p.id} ${p.policyTypes}`)).toEqual(['default/p Ingress']);
    expect(m.warnings).toEqual([
      `${file}#0: a NetworkPolicy of apiVersion "crd.projectcalico.org/v1" is not a Kubernetes NetworkPolicy (networking.k8s.io/v1); ignored`,
      `${file}#2: NetworkPolicy default/p is defined again; the definition at ${file}#1 is used`,
    ]);
  });

  test('rejects invalid objects of several documents, each issue naming its document', () => {
    const file = write(
      'bad.yaml',
      `
{kind: NetworkPolicy, metadata: {name: a}, spec: {ingress: [{ports: [{port: 0}]}]}}
---
{kind: Deployment, metadata: {name: d}}
`,
    );
    expect(() => readManifests([file])).toThrow(
      [
        `${file}#0: spec.ingress[0].ports[0].port: port 0 is out of range; a port number is an integer from 1 to 65535`,
        `${file}#1: spec.template: a Deployment needs a pod template at spec.template`,
      ].join('\n'),
    );
  });

  test('with skipInvalid, skips invalid objects and the rest of a file after a syntax error, with warnings', () => {
    const bad = write(
      'bad.yaml',
      '{kind: NetworkPolicy, metadata: {name: a}, spec: {ingress: [{ports: [{port: 0}]}]}}\n---\n{kind: Pod, metadata: {name: ok}}\n',
    );
    const broken = write(
      'broken.yaml',
      '{kind: Pod, metadata: {name: before}}\n---\nkind: Pod\nmetadata: {name: x\n---\n{kind: Pod, metadata: {name: after}}\n',
    );
    const m = readManifests([bad, broken], { skipInvalid: true });
    expect(m.policies).toEqual([]);
    expect(m.cluster.workloads.map((w) => w.name)).toEqual(['ok', 'before']);
    expect(m.warnings).toHaveLength(2);
    // files are parsed first, then their objects read
    expect(m.warnings[1]).toBe(
      `${bad}#0: skipped, it cannot be read: spec.ingress[0].ports[0].port: port 0 is out of range; a port number is an integer from 1 to 65535`,
    );
    expect(m.warnings[0]).toMatch(
      new RegExp(
        `^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: YAML syntax error in document 1: .*; skipped this document and the 1 after it$`,
      ),
    );
  });

  test('rejects a path that does not exist', () => {
    expect(() => readManifests([path.join(dir, 'missing')])).toThrow(`${path.join(dir, 'missing')}: no such file or folder`);
  });
});

describe('readPolicies, readCluster and readAnalysisInput', () => {
  test('each reads its own part, so an invalid policy does not stop reading the cluster', () => {
    const file = write(
      'mixed.yaml',
      '{kind: NetworkPolicy, metadata: {name: a}, spec: {ingress: [{ports: [{port: 0}]}]}}\n---\n{kind: Pod, metadata: {name: p}}\n',
    );
    expect(readCluster([file]).cluster.workloads.map((w) => w.name)).toEqual(['p']);
    expect(readPolicies([path.join(dir, 'none.yaml')].filter(fs.existsSync)).policies).toEqual([]);
    expect(() => readPolicies([file])).toThrow('port 0 is out of range');
  });

  test('reads the policies from one list of paths and the cluster from another, reporting each warning once', () => {
    const policies = write(
      'p/p.yaml',
      '{kind: NetworkPolicy, metadata: {name: a}, spec: {policyTypes: [Egress], ingress: [{}]}}\n---\n{kind: Pod, metadata: {name: ignored}}\n',
    );
    const cluster = write(
      'c/c.yaml',
      '{kind: Pod, metadata: {name: p}}\n---\n{kind: NetworkPolicy, metadata: {name: ignored}, spec: {}}\n',
    );
    const seen: string[] = [];
    const both = readAnalysisInput([policies], [cluster], { onWarning: (m) => seen.push(m) });
    expect(both.policies.map((p) => p.name)).toEqual(['a']);
    expect(both.cluster.workloads.map((w) => w.name)).toEqual(['p']);
    const same = readAnalysisInput([policies, cluster], [cluster, policies], { onWarning: (m) => seen.push(m) });
    expect(same.policies.map((p) => p.name)).toEqual(['a', 'ignored']);
    expect(same.cluster.workloads.map((w) => w.name)).toEqual(['ignored', 'p']);
    expect(seen).toEqual([
      `${policies}#0: spec.ingress: policyTypes ["Egress"] does not list Ingress, so Kubernetes ignores the 1 ingress rule(s); they are left out of the analysis`,
      `${policies}#0: spec.ingress: policyTypes ["Egress"] does not list Ingress, so Kubernetes ignores the 1 ingress rule(s); they are left out of the analysis`,
    ]);
    expect(same.warnings).toHaveLength(1);
  });
});

describe('reading YAML as the API server does', () => {
  test('throws on a repeated key, naming the file and line', () => {
    const file = path.join(os.tmpdir(), `netpol-dup-${process.pid}.yaml`);
    fs.writeFileSync(file, 'kind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  podSelector: {matchLabels: {a: b}}\n');
    try {
      expect(() => readManifests([file])).toThrow(
        `${file}:5: duplicate key "podSelector" in document 0, which the API server rejects (strict field validation); keep one of them; fix the file, or pass skipInvalid to analyse only the documents before it`,
      );
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('reads unquoted yes/no/on/off as booleans (YAML 1.1)', () => {
    const file = path.join(os.tmpdir(), `netpol-yaml11-${process.pid}.yaml`);
    fs.writeFileSync(file, 'kind: Pod\nmetadata: {name: p, namespace: no}\n');
    try {
      expect(() => readManifests([file])).toThrow(
        'the boolean false (unquoted y, n, yes, no, on and off are booleans in YAML as Kubernetes reads it: quote the text)',
      );
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe('input that holds nothing to read', () => {
  test('throws for a folder without manifest files', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-empty-'));
    try {
      expect(() => readManifests([empty])).toThrow(`${empty}: the folder holds no *.yaml, *.yml or *.json file; check the path`);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('warns for a document that is not an object, and reads on', () => {
    const file = path.join(os.tmpdir(), `netpol-text-${process.pid}.yaml`);
    fs.writeFileSync(file, 'just some text\n---\n[1, 2]\n---\n{kind: Pod, metadata: {name: p, namespace: ns1}}\n');
    try {
      const m = readManifests([file]);
      expect(m.warnings).toEqual([
        `${file}#0: not a Kubernetes object (a string); skipped`,
        `${file}#1: not a Kubernetes object (a list); skipped`,
      ]);
      expect(m.cluster.workloads.map((w) => `${w.namespace}/${w.name}`)).toEqual(['ns1/p']);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('a null port entry means every TCP port, as the API server decodes it', () => {
    const file = path.join(os.tmpdir(), `netpol-nullport-${process.pid}.yaml`);
    fs.writeFileSync(
      file,
      '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: x, namespace: ns1}, spec: {podSelector: {}, ingress: [{ports: [null]}]}}\n',
    );
    try {
      expect(readManifests([file]).policies[0].ingress[0].ports.map(String)).toEqual(['TCP *']);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

test('named ports resolve on sidecars (init containers with restartPolicy Always), not on plain init containers', () => {
  const file = path.join(os.tmpdir(), `netpol-sidecar-${process.pid}.yaml`);
  fs.writeFileSync(
    file,
    [
      '{kind: Deployment, metadata: {name: api, namespace: shop}, spec: {template: {metadata: {labels: {app: api}}, spec: {',
      '  initContainers: [{name: migrate, ports: [{name: admin, containerPort: 9000}]}, {name: proxy, restartPolicy: Always, ports: [{name: http, containerPort: 8080}]}],',
      '  containers: [{name: app, ports: [{name: metrics, containerPort: 9090}]}]}}}}',
    ].join('\n'),
  );
  try {
    const [w] = readManifests([file]).cluster.workloads;
    expect(w.ports).toEqual([
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
