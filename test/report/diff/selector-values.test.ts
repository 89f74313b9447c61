/**
 * Diffs over pod groups inferred from the policies see every value an In or NotIn selector
 * names: narrowing `tier in (web,api)` or widening a namespace list shows as flows.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffPolicies, FlowChange } from '../../../lib/analysis/diff';
import { LabelSelector, SelectorExpression, SelectorOperator } from '../../../lib/model/selector';
import { Peer } from '../../../lib/model/peer';
import { Port } from '../../../lib/model/port';
import { netpol, writeFiles } from './cli-fixtures';
import { policy, rule } from '../diagram/helpers';
import { Direction } from '../../../lib/model/rule';

function lines(flows: readonly FlowChange[]): string[] {
  return flows.map((f) => `${f.change} ${f.from.name} -> ${f.to.name}: ${f.before} => ${f.after}`);
}

const inExpr = (key: string, ...values: string[]): SelectorExpression => ({ key, operator: SelectorOperator.IN, values });
const notInExpr = (key: string, ...values: string[]): SelectorExpression => ({ key, operator: SelectorOperator.NOT_IN, values });
const db = (...peers: Peer[]) => policy('shop', 'db', { app: 'db' }, [Direction.INGRESS], { ingress: [rule(peers, Port.tcp(5432))] });
const api = (...peers: Peer[]) =>
  policy('shop', 'api', { app: 'api' }, [Direction.INGRESS], peers.length > 0 ? { ingress: [rule(peers, Port.tcp(9090))] } : {});

describe('diffPolicies over inferred groups', () => {
  test("narrowing a pod selector's In list removes the flow of the value dropped", () => {
    const d = diffPolicies(
      [db(Peer.pods(LabelSelector.of({}, [inExpr('tier', 'web', 'api')])))],
      [db(Peer.pods(LabelSelector.of({}, [inExpr('tier', 'web')])))],
    );
    expect(lines(d.flows)).toEqual(['removed shop/api -> shop/db: TCP 5432 => No Connections']);
    expect(d.widens).toBe(false);
  });

  test("widening a pod selector's In list adds the flow of the value added", () => {
    const d = diffPolicies(
      [db(Peer.pods(LabelSelector.of({}, [inExpr('tier', 'web')])))],
      [db(Peer.pods(LabelSelector.of({}, [inExpr('tier', 'web', 'api')])))],
    );
    expect(lines(d.flows)).toEqual(['added shop/api -> shop/db: No Connections => TCP 5432']);
    expect(d.widens).toBe(true);
  });

  test("adding a value to a pod selector's NotIn list removes the flow of that value", () => {
    const d = diffPolicies(
      [db(Peer.pods(LabelSelector.of({ app: 'web' }, [notInExpr('version', 'v1')])))],
      [db(Peer.pods(LabelSelector.of({ app: 'web' }, [notInExpr('version', 'v1', 'v2')])))],
    );
    expect(lines(d.flows)).toEqual(['removed shop/app=web,version=v2 -> shop/db: TCP 5432 => No Connections']);
  });

  test('allowing the namespaces named by an In list adds a flow from each of them', () => {
    const d = diffPolicies(
      [api()],
      [api(Peer.namespaces(LabelSelector.of({}, [inExpr('kubernetes.io/metadata.name', 'monitoring', 'logging')])))],
    );
    expect(lines(d.flows)).toEqual([
      'added logging/(others) -> shop/api: No Connections => TCP 9090',
      'added monitoring/(others) -> shop/api: No Connections => TCP 9090',
    ]);
    expect(d.widens).toBe(true);
  });
});

describe('netpol diff over inferred groups', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-values-'));
    const dbPolicy = (values: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector: {matchExpressions: [{key: tier, operator: In, values: [${values}]}]}
    ports: [{port: 5432}]
`;
    const apiPolicy = (ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
${ingress}`;
    writeFiles(dir, {
      'in/before/p.yaml': dbPolicy('web, api'),
      'in/after/p.yaml': dbPolicy('web'),
      'ns/before/p.yaml': apiPolicy(''),
      'ns/after/p.yaml': apiPolicy(`  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [monitoring, logging]}]}
    ports: [{port: 9090}]
`),
    });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reports the flow removed by narrowing an In list, and --fail-on-added exits 0', () => {
    const run = netpol('diff', path.join(dir, 'in/before'), path.join(dir, 'in/after'), '--fail-on-added');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 flows added, 1 removed, 0 changed');
    expect(run.stdout).toMatch(/shop\/api +shop\/db +TCP 5432/);
  });

  test('reports the flows added from namespaces named by an In list, and --fail-on-added exits 1', () => {
    const run = netpol('diff', path.join(dir, 'ns/before'), path.join(dir, 'ns/after'), '--fail-on-added');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('2 flows added, 0 removed, 0 changed');
    expect(run.stdout).toMatch(/logging\/\(others\) +shop\/api +TCP 9090/);
    expect(run.stdout).toMatch(/monitoring\/\(others\) +shop\/api +TCP 9090/);
  });
});
