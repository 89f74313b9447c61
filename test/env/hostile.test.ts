import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../lib/env';
import { fixture, problems } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-hostile-env-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('keys JavaScript reserves', () => {
  test('throws for __proto__ under cidrs, databases and DNS labels of a YAML file, instead of dropping the entry', () => {
    const file = write(
      'prod.yaml',
      'name: prod\ncidrs:\n  __proto__: 10.0.0.0/8\n  constructor: 10.1.0.0/16\ndatabases:\n  __proto__: { cidrs: [10.2.0.0/24], port: 5432 }\ndns:\n  pods: { __proto__: x }\n',
    );
    const reserved = '"__proto__" cannot be a key here: JavaScript reserves it, and the entry would be lost; rename it';
    expect(problems(() => Environment.load(file))).toEqual([
      `${file}: cidrs.__proto__: ${reserved}`,
      `${file}: databases.__proto__: ${reserved}`,
      `${file}: dns.pods.__proto__: ${reserved}`,
    ]);
  });

  test('throws for __proto__ in a JSON file', () => {
    const file = write('prod.json', '{"name": "prod", "cidrs": {"__proto__": "10.0.0.0/8"}}');
    expect(problems(() => Environment.load(file))).toEqual([
      `${file}: cidrs.__proto__: "__proto__" cannot be a key here: JavaScript reserves it, and the entry would be lost; rename it`,
    ]);
  });

  test('throws for a set or ordered map of a YAML file, which would read as an empty mapping', () => {
    const file = write('prod.yaml', 'name: prod\ndns: !!set {a, b}\ncidrs: !!omap [{office: 10.0.0.0/8}]\n');
    const fix = 'write a plain mapping of keys to values (in YAML, with no tag such as !!set or !!omap)';
    expect(problems(() => Environment.load(file))).toEqual([
      `${file}: cidrs: expected a mapping, got an instance of Map; ${fix}`,
      `${file}: dns: expected a mapping, got an instance of Set; ${fix}`,
    ]);
  });

  test('throws for a Map, Set or Date given in code where a mapping belongs, and leaves extras to its schema', () => {
    const fix = 'write a plain mapping of keys to values (in YAML, with no tag such as !!set or !!omap)';
    expect(problems(() => Environment.fromObject({ name: 'prod', dns: new Set(['a']) }, 'env'))).toEqual([
      `env: dns: expected a mapping, got an instance of Set; ${fix}`,
    ]);
    expect(problems(() => Environment.fromObject({ name: 'prod', databases: { orders: new Date(0) } }, 'env'))).toEqual([
      `env: databases.orders: expected a mapping, got an instance of Date; ${fix}`,
    ]);
    const when = new Date(0);
    const env = Environment.fromObject({ name: 'prod', extras: { since: when } }, 'env', {
      extras: { safeParse: (v: unknown) => ({ success: true, data: v }) },
    });
    expect(env.extras).toEqual({ since: when });
  });

  test('keeps other names of Object.prototype as ordinary names', () => {
    const env = Environment.load(write('prod.yaml', 'name: prod\ncidrs:\n  constructor: 10.1.0.0/16\n  toString: 10.2.0.0/16\n'));
    expect(env.cidrNames()).toEqual(['constructor', 'toString']);
    expect(env.ipBlock('toString').toString()).toBe('10.2.0.0/16');
  });
});

describe('bounded work', () => {
  test('throws for a Terraform mapping to a far list index at once, instead of building a list of billions of entries', () => {
    const started = Date.now();
    expect(
      problems(() =>
        Environment.fromTerraformOutput(fixture('terraform-outputs.json'), {
          name: 'prod',
          map: { 'databases.orders.cidrs[4294967294]': 'corporate_cidr', 'databases.orders.port': 'orders_db_port' },
        }),
      ),
    ).toEqual([
      `${fixture('terraform-outputs.json')}: databases.orders.cidrs[4294967294]: map key "databases.orders.cidrs[4294967294]": list index [4294967294] is past the end of the list, which has 0 entries; use [0] to add an entry, or a lower index to replace one`,
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a mapped list index may add an entry at the end', () => {
    const env = Environment.fromTerraformOutput(fixture('terraform-outputs.json'), {
      name: 'prod',
      map: { 'cidrs.corporate': 'corporate_cidr', 'dns.nodeLocalCidrs[0]': 'corporate_cidr' },
    });
    expect(env.dns.nodeLocalCidrs.map(String)).toEqual(['172.20.0.0/16']);
  });

  test('throws for a duplicate key, naming both lines', () => {
    const file = write('prod.yaml', 'name: prod\ncidrs:\n  office: 10.0.0.0/8\n  vpn: 10.1.0.0/16\n  office: 10.2.0.0/16\n');
    expect(problems(() => Environment.load(file))).toEqual([
      `${file}: YAML syntax error at line 5, column 3: key "office" is also at line 3; a mapping holds each key once, so remove or rename one`,
    ]);
  });
});

describe('ConfigMap data', () => {
  test('throws naming binaryData when the key is there, not "no data"', () => {
    const file = write(
      'cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: netpol-prod }\nbinaryData:\n  environment.yaml: bmFtZTogcHJvZAo=\n',
    );
    expect(problems(() => Environment.fromConfigMap(file))).toEqual([
      `${file}: binaryData.environment.yaml: ConfigMap "netpol-prod" holds "environment.yaml" under binaryData (base64 bytes), but the environment is read as text from data; store it under data (kubectl create configmap --from-file puts UTF-8 text files there)`,
    ]);
  });

  test('lists the binaryData keys when the key is in neither', () => {
    const file = write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: netpol-prod }\nbinaryData:\n  other.bin: AAAA\n');
    expect(problems(() => Environment.fromConfigMap(file))).toEqual([
      `${file}: data.environment.yaml: ConfigMap "netpol-prod" has no key "environment.yaml" under data; it has no data. binaryData has other.bin, which is not read. Pass { key } to read another key`,
    ]);
  });
});
