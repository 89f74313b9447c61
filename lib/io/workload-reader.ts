/**
 * Pods, workload controllers and Namespaces as found in manifests → the model's `Workload`
 * and `Namespace`. A controller stands for the pods of its template; the pods of one controller
 * owner are one workload named after the owner (as np-guard names them) while they carry the
 * same labels, and one workload per label set when they do not, since a selector may tell them
 * apart (a StatefulSet's pods differ in `statefulset.kubernetes.io/pod-name`).
 */
import { IpAddress, parseIp } from '../model/cidr';
import { ContainerPort, Namespace, namespace as makeNamespace, Workload } from '../model/cluster';
import { IssueCollector } from '../model/errors';
import { isProtocol } from '../model/port';
import { Origin } from '../model/policy';
import { describe, isObject, shown, stringMap } from './private/values';

/** Kinds whose pod template (`spec.template`) becomes a workload. */
export const CONTROLLER_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
];

/** Every kind that `workloadFromObject` reads. */
export const WORKLOAD_KINDS: readonly string[] = ['Pod', ...CONTROLLER_KINDS];

/** Options for reading workloads. */
export interface WorkloadReadOptions {
  /** How errors and warnings name the object, e.g. `pods.yaml#3`. @default - `<origin.where>#<origin.doc>` */
  readonly location?: string;
  /** Called with each warning (unreadable pod IPs, container ports without a number). @default - none */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads a Pod or a workload controller into a `Workload`; undefined for any other kind.
 *
 * - Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job: labels and
 *   container ports of `spec.template`; CronJob: of `spec.jobTemplate.spec.template`.
 * - Pod: its own labels and ports; its IPs from `status.podIPs`/`status.podIP` (for a pod with
 *   `hostNetwork: true`, its node's addresses). A Pod whose
 *   controller ownerReference is not a `Node` is named after the owner (`<owner>` of kind
 *   `<owner kind>`, or `Pod` when the reference has no kind), so the pods of one controller
 *   become one workload.
 * - `spec.hostNetwork: true` (of the pod or the template) makes a `hostNetwork` workload.
 * - A missing `metadata.namespace` means `default`. `initContainers` are not used.
 *
 * Throws `NetpolError` at `file#doc` with field paths for what cannot be read.
 */
export function workloadFromObject(obj: unknown, origin?: Origin, options: WorkloadReadOptions = {}): Workload | undefined {
  if (!isObject(obj) || typeof obj.kind !== 'string' || !WORKLOAD_KINDS.includes(obj.kind)) return undefined;
  const location = options.location ?? (origin ? (origin.doc !== undefined ? `${origin.where}#${origin.doc}` : origin.where) : undefined);
  const issues = new IssueCollector();
  const warn = (m: string) => options.onWarning?.(location ? `${location}: ${m}` : m);
  const kind = obj.kind;
  const { name, namespace, labels: ownLabels } = readMetadata(obj.metadata, issues);
  let workloadName = name;
  let workloadKind = kind;
  let labels = ownLabels;
  let podSpecPath = 'spec';
  let podSpec: unknown = obj.spec;
  let ips: IpAddress[] | undefined;
  if (kind === 'Pod') {
    const owner = controllerOwner(isObject(obj.metadata) ? obj.metadata.ownerReferences : undefined);
    if (owner) {
      workloadName = owner.name;
      workloadKind = owner.kind;
    }
    ips = podIps(obj.status, warn);
  } else {
    const templatePath = kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
    const template = templatePath.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), obj);
    if (!isObject(template)) {
      issues.add(
        'workload.template',
        templatePath,
        `a ${kind} needs a pod template at ${templatePath}${template === undefined ? '' : `, got ${describe(template)}`}`,
      );
      issues.throwIfAny(location);
    }
    const t = template as Record<string, unknown>;
    labels = isObject(t.metadata) ? stringMap(t.metadata.labels, `${templatePath}.metadata.labels`, issues) : {};
    podSpecPath = `${templatePath}.spec`;
    podSpec = t.spec;
  }
  const ports = containerPorts(podSpec, podSpecPath, issues, warn);
  issues.throwIfAny(location);
  const hostNetwork = isObject(podSpec) && podSpec.hostNetwork === true;
  return {
    namespace,
    name: workloadName,
    kind: workloadKind,
    labels,
    ports,
    ...(ips && ips.length > 0 ? { ips } : {}),
    ...(workloadName !== name ? { owner: { name: workloadName, kind: workloadKind } } : {}),
    ...(hostNetwork ? { hostNetwork } : {}),
    ...(origin ? { origin } : {}),
  };
}

/**
 * Gathers the workloads read from manifests into the cluster's workloads, in the order first
 * seen: the pods of one controller owner (`Workload.owner`) become one workload while they
 * carry the same labels (their IPs pooled) and, when their labels differ, one per label set,
 * each named after its first pod; pods of a controller whose object is read too stand for it
 * (their labels are the real ones, the template's lack what the controller adds). A controller
 * or pod read twice is reported and the first definition kept.
 */
export class WorkloadGroups {
  private readonly byKey = new Map<string, { where: string; controller?: Workload; pods: Array<{ name: string; workload: Workload }> }>();

  /**
   * Adds a workload read at `where`; `podName` is the Pod's own name for a Pod. Returns a
   * warning when it repeats one already read.
   */
  public add(w: Workload, where: string, podName?: string): string | undefined {
    const key = `${w.namespace}/${w.name}[${w.kind}]`;
    let entry = this.byKey.get(key);
    if (!entry) this.byKey.set(key, (entry = { where, pods: [] }));
    if (podName === undefined) {
      if (entry.controller) return `${w.kind} ${w.namespace}/${w.name} is defined again; the definition at ${entry.where} is used`;
      entry.controller = w;
      return undefined;
    }
    if (entry.pods.some((p) => p.name === podName)) return `pod ${w.namespace}/${podName} is defined again; the first definition is used`;
    entry.pods.push({ name: podName, workload: w });
    return undefined;
  }

  /** The workloads, in the order first seen. */
  public workloads(): Workload[] {
    const out: Workload[] = [];
    for (const { controller, pods } of this.byKey.values()) {
      if (pods.length === 0) {
        out.push(controller!);
        continue;
      }
      const sets = new Map<string, Array<{ name: string; workload: Workload }>>();
      for (const p of pods) {
        const k = JSON.stringify(Object.entries(p.workload.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        const list = sets.get(k);
        if (list) list.push(p);
        else sets.set(k, [p]);
      }
      for (const group of sets.values()) {
        const first = group[0].workload;
        const ips: IpAddress[] = [];
        for (const p of group)
          for (const ip of p.workload.ips ?? []) if (!ips.some((o) => o.family === ip.family && o.value === ip.value)) ips.push(ip);
        const split = sets.size > 1;
        out.push({
          namespace: first.namespace,
          name: split ? group[0].name : first.name,
          kind: first.kind,
          labels: first.labels,
          ports: first.ports,
          ...(ips.length > 0 ? { ips } : {}),
          ...(split && first.owner ? { owner: first.owner } : {}),
          ...(first.hostNetwork ? { hostNetwork: true } : {}),
          ...(first.origin ? { origin: first.origin } : {}),
        });
      }
    }
    return out;
  }
}

/** Reads a Namespace object (name and labels; the name label is added); undefined for any other kind. */
export function namespaceFromObject(obj: unknown, origin?: Origin, options: WorkloadReadOptions = {}): Namespace | undefined {
  if (!isObject(obj) || obj.kind !== 'Namespace') return undefined;
  const location = options.location ?? (origin ? (origin.doc !== undefined ? `${origin.where}#${origin.doc}` : origin.where) : undefined);
  const issues = new IssueCollector();
  const { name, labels } = readMetadata(obj.metadata, issues);
  issues.throwIfAny(location);
  return makeNamespace(name, labels);
}

function readMetadata(value: unknown, issues: IssueCollector): { name: string; namespace: string; labels: Record<string, string> } {
  if (!isObject(value)) {
    issues.add(
      'metadata.type',
      'metadata',
      value === undefined ? 'metadata is required, with at least a name' : `metadata must be an object, got ${describe(value)}`,
    );
    return { name: '', namespace: 'default', labels: {} };
  }
  const name = value.name;
  if (typeof name !== 'string' || name === '') {
    issues.add(
      'metadata.name',
      'metadata.name',
      name === undefined || name === '' ? 'name is required' : `name must be a string, got ${describe(name)}`,
    );
  }
  const namespace = value.namespace === undefined || value.namespace === null ? 'default' : value.namespace;
  if (typeof namespace !== 'string' || namespace === '')
    issues.add('metadata.namespace', 'metadata.namespace', `namespace must be a non-empty string, got ${describe(namespace)}`);
  return { name: String(name ?? ''), namespace: String(namespace), labels: stringMap(value.labels, 'metadata.labels', issues) };
}

function controllerOwner(refs: unknown): { name: string; kind: string } | undefined {
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (!isObject(r) || r.controller !== true || typeof r.name !== 'string' || r.name === '') continue;
    if (r.kind === 'Node') return undefined;
    return { name: r.name, kind: typeof r.kind === 'string' && r.kind !== '' ? r.kind : 'Pod' };
  }
  return undefined;
}

function podIps(status: unknown, warn: (m: string) => void): IpAddress[] {
  if (!isObject(status)) return [];
  const texts: string[] = [];
  if (Array.isArray(status.podIPs)) {
    for (const e of status.podIPs) if (isObject(e) && typeof e.ip === 'string') texts.push(e.ip);
  }
  if (typeof status.podIP === 'string' && status.podIP !== '') texts.push(status.podIP);
  const out: IpAddress[] = [];
  for (const t of new Set(texts)) {
    try {
      const ip = parseIp(t, { legacy: true });
      if (!out.some((o) => o.family === ip.family && o.value === ip.value)) out.push(ip);
    } catch {
      warn(`status: pod IP "${t}" is not an IP address; ignored`);
    }
  }
  return out;
}

function containerPorts(spec: unknown, path: string, issues: IssueCollector, warn: (m: string) => void): ContainerPort[] {
  if (spec === undefined || spec === null) return [];
  if (!isObject(spec)) {
    issues.add('workload.spec', path, `the pod spec must be an object, got ${describe(spec)}`);
    return [];
  }
  const out: ContainerPort[] = [];
  // named ports resolve on the containers, and on sidecars: init containers with restartPolicy Always
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      issues.add('workload.containers', `${path}.${field}`, `${field} must be a list, got ${describe(list)}`);
      continue;
    }
    const sidecarsOnly = field === 'initContainers';
    out.push(
      ...portsOf(
        list.filter((c) => !sidecarsOnly || (isObject(c) && c.restartPolicy === 'Always')),
        `${path}.${field}`,
        issues,
        warn,
        sidecarsOnly ? list : undefined,
      ),
    );
  }
  return out;
}

/** The ports of a list of containers; `all` is the whole list when `containers` is a filtered part of it (for paths). */
function portsOf(containers: unknown[], path: string, issues: IssueCollector, warn: (m: string) => void, all?: unknown[]): ContainerPort[] {
  const out: ContainerPort[] = [];
  containers.forEach((c, k) => {
    const i = all ? all.indexOf(c) : k;
    if (!isObject(c) || c.ports === undefined || c.ports === null) return;
    const cpath = `${path}[${i}].ports`;
    if (!Array.isArray(c.ports)) {
      issues.add('workload.ports', cpath, `ports must be a list, got ${describe(c.ports)}`);
      return;
    }
    c.ports.forEach((p, j) => {
      const ppath = `${cpath}[${j}]`;
      if (!isObject(p)) {
        issues.add('workload.ports', ppath, `a container port must be an object with containerPort, got ${describe(p)}`);
        return;
      }
      const n = p.containerPort;
      if (n === undefined) {
        // Only named-port resolution needs container ports: a broken entry is passed over, not fatal.
        const near = Object.keys(p).find((k) => k.toLowerCase() === 'containerport');
        warn(
          `${ppath}: containerPort is missing${near ? ` (found "${near}"; keys are case-sensitive)` : ''}; ` +
            `this port is ignored, so named ports cannot resolve to it`,
        );
        return;
      }
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
        issues.add('workload.ports', `${ppath}.containerPort`, `containerPort must be an integer from 1 to 65535, got ${describe(n)}`);
        return;
      }
      const protocol = p.protocol === undefined || p.protocol === null ? 'TCP' : p.protocol;
      if (!isProtocol(protocol)) {
        issues.add(
          'workload.ports',
          `${ppath}.protocol`,
          `protocol ${shown(protocol)} is not supported; use "TCP", "UDP" or "SCTP" (upper case)`,
        );
        return;
      }
      if (p.name !== undefined && p.name !== null && typeof p.name !== 'string') {
        issues.add('workload.ports', `${ppath}.name`, `a port name must be a string, got ${describe(p.name)}`);
        return;
      }
      out.push({ ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}), containerPort: n, protocol });
    });
  });
  return out;
}
