import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../lib/env';
import { fixture, problems } from './helpers';

const MULTI = fixture('configmaps.yaml');

describe('Environment.fromConfigMap', () => {
  test('reads the document from data["environment.yaml"] of the only ConfigMap', () => {
    const env = Environment.fromConfigMap(fixture('configmap.yaml'));
    expect(env.name).toBe('prod');
    expect(env.source).toBe(`${fixture('configmap.yaml')} (ConfigMap netpol-environment, data.environment.yaml)`);
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('picks the ConfigMap by name and reads another key in a multi-document file', () => {
    const env = Environment.fromConfigMap(MULTI, { name: 'netpol-staging', key: 'env.yaml' });
    expect(env.name).toBe('staging');
    expect(env.ipBlock('corporate').toString()).toBe('172.16.0.0/16');
  });

  test('finds the ConfigMap inside a kind: List', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-env-'));
    const file = path.join(dir, 'list.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: { name: env }',
        '    data:',
        '      environment.yaml: "name: qa"',
        '',
      ].join('\n'),
    );
    try {
      expect(Environment.fromConfigMap(file).name).toBe('qa');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('throws when several ConfigMaps could be meant', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI))).toEqual([
      `${MULTI}: the file holds 2 ConfigMaps ("netpol-staging", "netpol-prod"); pass { name } to choose one`,
    ]);
  });

  test('throws for an unknown ConfigMap name, suggesting the likely one', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI, { name: 'netpol-prd' }))).toEqual([
      `${MULTI}: no ConfigMap named "netpol-prd"; the file has "netpol-staging", "netpol-prod". Did you mean "netpol-prod"? Check the file and the name`,
    ]);
  });

  test('throws for a file without a ConfigMap', () => {
    const f = fixture('deployment-only.yaml');
    expect(problems(() => Environment.fromConfigMap(f))).toEqual([
      `${f}: no ConfigMap in the file (it holds Deployment); give a manifest with kind: ConfigMap`,
    ]);
  });

  test('throws for a missing data key, listing the keys present', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI, { name: 'netpol-prod' }))).toEqual([
      `${MULTI}: data.environment.yaml: ConfigMap "netpol-prod" has no key "environment.yaml" under data; its data has broken.yaml, env.yaml, invalid.yaml, structured. Pass { key } to read another key`,
    ]);
  });

  test('throws for a data value that is not text', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI, { name: 'netpol-prod', key: 'structured' }))).toEqual([
      `${MULTI}: data.structured: expected the environment as YAML text, got a mapping; ConfigMap data values are strings, so write the document as a block: "structured: |" followed by the indented YAML`,
    ]);
  });

  test('throws for a YAML syntax error inside the data value, naming its line there', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI, { name: 'netpol-prod', key: 'broken.yaml' }))).toEqual([
      `${MULTI} (ConfigMap netpol-prod, data.broken.yaml): YAML syntax error at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the file`,
    ]);
  });

  test('throws for an invalid document, naming the ConfigMap and data key', () => {
    expect(problems(() => Environment.fromConfigMap(MULTI, { name: 'netpol-prod', key: 'invalid.yaml' }))).toEqual([
      `${MULTI} (ConfigMap netpol-prod, data.invalid.yaml): databases.orders.cidrs[0]: "db.example.com" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer`,
    ]);
  });

  test('throws for a missing manifest file', () => {
    expect(problems(() => Environment.fromConfigMap(fixture('no-such-configmap.yaml')))).toEqual([
      `${fixture('no-such-configmap.yaml')}: ConfigMap manifest not found; check the path, or create the file`,
    ]);
  });
});
