/**
 * Lint without cluster manifests reasons about the pods that selectors with matchExpressions
 * select too: one tier per value of an In list.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lint, lintFiles } from '../../../lib/check/lint';
import { Peer } from '../../../lib/model/peer';
import { Policy } from '../../../lib/model/policy';
import { Port } from '../../../lib/model/port';
import { Rule, Direction } from '../../../lib/model/rule';
import { LabelSelector, SelectorExpression, SelectorOperator } from '../../../lib/model/selector';

const inExpr = (key: string, ...values: string[]): SelectorExpression => ({ key, operator: SelectorOperator.IN, values });
const denyIngress = Policy.of({ name: 'deny', namespace: 'shop', policyTypes: [Direction.INGRESS] });

describe('lint without cluster manifests, selectors with matchExpressions', () => {
  test('a policy that selects its pods by an In list and isolates their egress without DNS is reported (NP001)', () => {
    const web = Policy.of({
      name: 'web',
      namespace: 'shop',
      podSelector: LabelSelector.of({}, [inExpr('app', 'web')]),
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([Peer.pods({ app: 'api' })], [Port.tcp(8080)])],
    });
    expect(
      lint([web, denyIngress])
        .filter((f) => f.ruleId === 'NP001')
        .map((f) => f.message),
    ).toEqual([
      'this policy isolates the egress of pods app in (web) of shop, and no policy allows it DNS (UDP 53, TCP 53), so name lookups fail',
    ]);
  });

  test('egress from every value of an In list to an isolated tier is one-sided for each value (NP002)', () => {
    const web = Policy.of({
      name: 'web',
      namespace: 'shop',
      podSelector: LabelSelector.of({}, [inExpr('tier', 'web', 'edge')]),
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([Peer.pods(LabelSelector.of({}, [inExpr('app', 'api')]))], [Port.tcp(8080)])],
    });
    const found = lint([web, denyIngress]).filter((f) => f.ruleId === 'NP002');
    expect(found.map((f) => [f.path, f.message])).toEqual([
      [
        'spec.egress[0].to[0]',
        "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: pods tier=web of shop -> pods app in (api) of shop on TCP 8080 (pods app in (api) of shop is isolated for ingress by shop/deny) and pods tier=edge of shop -> pods app in (api) of shop on TCP 8080 (pods app in (api) of shop is isolated for ingress by shop/deny)",
      ],
    ]);
  });

  test('a peer in a namespace named by an In list on the name label is a tier of that namespace', () => {
    const web = Policy.of({
      name: 'web',
      namespace: 'shop',
      podSelector: LabelSelector.of({ app: 'web' }),
      policyTypes: [Direction.EGRESS],
      egress: [
        Rule.of(
          [Peer.podsInNamespace(LabelSelector.of({}, [inExpr('kubernetes.io/metadata.name', 'monitoring')]), { app: 'prometheus' })],
          [Port.tcp(9090)],
        ),
      ],
    });
    const denyMonitoring = Policy.of({ name: 'deny', namespace: 'monitoring', policyTypes: [Direction.INGRESS] });
    expect(
      lint([web, denyMonitoring])
        .filter((f) => f.ruleId === 'NP002')
        .map((f) => f.message),
    ).toEqual([
      "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: pods app=web of shop -> pods app=prometheus of monitoring on TCP 9090 (pods app=prometheus of monitoring is isolated for ingress by monitoring/deny)",
    ]);
  });

  test('policies read from a file report NP001 and NP002 without a cluster, as with one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-values-'));
    try {
      const file = path.join(dir, 'p.yaml');
      fs.writeFileSync(
        file,
        `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
  policyTypes: [Egress, Ingress]
  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [monitoring]}]}
    - podSelector: {matchExpressions: [{key: app, operator: In, values: [prometheus]}]}
  egress:
  - to:
    - podSelector: {matchLabels: {app: api}}
    ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`,
      );
      const found = lintFiles([file]).filter((f) => f.ruleId === 'NP001' || f.ruleId === 'NP002');
      expect(found.map((f) => `${f.ruleId} ${f.object.namespace}/${f.object.name} ${f.path}`)).toEqual([
        'NP001 shop/web spec.policyTypes',
        'NP002 shop/web spec.egress[0].to[0]',
      ]);
      expect(found[1].message).toContain(
        'pods app in (web) of shop -> pods app=api of shop on TCP 8080 (pods app=api of shop is isolated for ingress by shop/deny)',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
