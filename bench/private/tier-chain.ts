/**
 * The policy set of `bench/synth.ts`, written three ways. In namespace `bench`: a default deny
 * (both directions), DNS egress for every pod, and a chain of N tiers where tier i
 * (`app: tier-i`) admits tier i-1 on TCP 8000+i — the ingress rule on tier i and the egress
 * rule on tier i-1, one policy per tier holding both.
 *
 * 1. `ours`: `DefaultDeny`, `AllowDns`, `Tier`, rendered by `validateApp` + `renderApp` +
 *    `toYaml`, the path `npm run synth` takes.
 * 2. `plus`: cdk8s-plus-27's `NetworkPolicy`, synthesized by `app.synthYaml()`.
 * 3. `floor`: plain objects serialized by the `yaml` package with cdk8s's options; no
 *    constructs, no validation — the least any tool has to do to write these bytes.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { AllowDns } from '../../lib/constructs/allow-dns';
import { DefaultDeny } from '../../lib/constructs/default-deny';
import { Tier } from '../../lib/constructs/tier';
import { Port } from '../../lib/model/port';
import { renderApp, toYaml, validateApp } from '../../lib/render/synth';

/** Namespace of every policy of the set. */
export const NAMESPACE = 'bench';

/** Port tier i listens on. */
export function tierPort(i: number): number {
  return 8000 + i;
}

/** Builds the set with our constructs into a new App. */
export function buildOurs(n: number): App {
  const app = new App({ outdir: '/nonexistent-bench-outdir' });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  let previous: Tier | undefined;
  for (let i = 0; i < n; i++) {
    const tier = new Tier(chart, `tier-${i}`, { pods: { app: `tier-${i}` } });
    if (previous) tier.allowFrom(previous, Port.tcp(tierPort(i)));
    previous = tier;
  }
  return app;
}

/**
 * The least construct tree any cdk8s library needs for the set's tiers: per tier a plain
 * `Construct` with an `ApiObject` child (`Resource`) of the same kind, name and namespace, and no
 * spec — what cdk8s and the constructs library themselves cost per tier, as a baseline for ours.
 */
export function buildBare(n: number): App {
  const app = new App({ outdir: '/nonexistent-bench-outdir' });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  for (let i = 0; i < n; i++) {
    const tier = new Construct(chart, `tier-${i}`);
    new ApiObject(tier, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `tier-${i}`, namespace: NAMESPACE },
    });
  }
  return app;
}

/** Validates and renders an app the way `synthEnvironments` does; throws on validation errors. */
export function synthOurs(app: App): string {
  const errors = validateApp(app);
  if (errors.length > 0) throw new Error(`validation failed: ${errors.slice(0, 3).join('; ')}`);
  return renderApp(app)
    .map((c) => toYaml(c.objects))
    .join('---\n');
}

/** Builds the same set with cdk8s-plus-27 into a new App. */
export function buildPlus(n: number): App {
  const app = new App({ outdir: '/nonexistent-bench-outdir' });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  const meta = (name: string) => ({ name, namespace: NAMESPACE });
  const deny = { default: kplus.NetworkPolicyTrafficDefault.DENY };
  new kplus.NetworkPolicy(chart, 'default-deny', { metadata: meta('default-deny'), ingress: deny, egress: deny });
  const dns = kplus.Pods.select(chart, 'kube-dns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(chart, 'kube-system', { names: ['kube-system'] }),
  });
  new kplus.NetworkPolicy(chart, 'allow-dns', {
    metadata: meta('allow-dns'),
    egress: { rules: [{ peer: dns, ports: [kplus.NetworkPolicyPort.tcp(53), kplus.NetworkPolicyPort.udp(53)] }] },
  });
  const pods = Array.from({ length: n }, (_, i) => kplus.Pods.select(chart, `pods-${i}`, { labels: { app: `tier-${i}` } }));
  for (let i = 0; i < n; i++) {
    // DENY adds the direction to policyTypes, as the namespace's default deny makes our tiers do.
    new kplus.NetworkPolicy(chart, `tier-${i}`, {
      metadata: meta(`tier-${i}`),
      selector: pods[i],
      ingress: { ...deny, rules: i > 0 ? [{ peer: pods[i - 1], ports: [kplus.NetworkPolicyPort.tcp(tierPort(i))] }] : [] },
      egress: { ...deny, rules: i < n - 1 ? [{ peer: pods[i + 1], ports: [kplus.NetworkPolicyPort.tcp(tierPort(i + 1))] }] : [] },
    });
  }
  return app;
}

/** Synthesizes a cdk8s-plus-27 app as its users do. */
export function synthPlus(app: App): string {
  return app.synthYaml();
}

/** The same set as plain objects, keys in the order cdk8s writes them. */
export function buildFloor(n: number): Record<string, unknown>[] {
  const np = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NAMESPACE },
    spec,
  });
  const pods = (i: number) => ({ podSelector: { matchLabels: { app: `tier-${i}` } } });
  const tcp = (port: number) => [{ port, protocol: 'TCP' }];
  const docs: Record<string, unknown>[] = [
    np('default-deny', { podSelector: {}, policyTypes: ['Egress', 'Ingress'] }),
    np('allow-dns', {
      egress: [
        {
          ports: [
            { port: 53, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
        },
      ],
      podSelector: {},
      policyTypes: ['Egress'],
    }),
  ];
  for (let i = 0; i < n; i++) {
    const spec: Record<string, unknown> = {};
    if (i < n - 1) spec.egress = [{ ports: tcp(tierPort(i + 1)), to: [pods(i + 1)] }];
    if (i > 0) spec.ingress = [{ from: [pods(i - 1)], ports: tcp(tierPort(i)) }];
    spec.podSelector = { matchLabels: { app: `tier-${i}` } };
    spec.policyTypes = ['Egress', 'Ingress'];
    docs.push(np(`tier-${i}`, spec));
  }
  return docs;
}

/** Serializes plain objects as multi-document YAML with the options cdk8s uses. */
export function synthFloor(docs: readonly Record<string, unknown>[]): string {
  return docs.map((d) => YAML.stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
}
