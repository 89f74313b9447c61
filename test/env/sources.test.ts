import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../lib/env';
import { fixture, problems } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-sources-'));
  fs.mkdirSync(path.join(dir, 'environments'));
  fs.mkdirSync(path.join(dir, 'infra'));
  fs.copyFileSync(fixture('terraform-outputs.json'), path.join(dir, 'infra', 'prod-outputs.json'));
  fs.copyFileSync(fixture('terraform-whole.json'), path.join(dir, 'infra', 'whole.json'));
  fs.copyFileSync(fixture('configmap.yaml'), path.join(dir, 'infra', 'netpol-env.yaml'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string): string => {
  const file = path.join(dir, rel);
  fs.writeFileSync(file, text);
  return file;
};

describe('an environment file that names its source', () => {
  test('lays mapped Terraform outputs over its own keys, with paths relative to the file', () => {
    const file = write(
      'environments/prod.yaml',
      'name: prod\nterraform:\n  file: ../infra/prod-outputs.json\n  map:\n    databases.orders.cidrs: orders_db_cidrs\n    cidrs.corporate: corporate_cidr\ncidrs:\n  office: 192.0.2.0/24\ndatabases:\n  orders: { cidrs: [], port: 5432 }\n',
    );
    const env = Environment.load(file);
    expect(env.name).toBe('prod');
    expect(env.cidrNames()).toEqual(['corporate', 'office']);
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
    expect(env.database('orders').cidrs.map(String)).toEqual(['10.20.0.0/24', '10.20.1.0/24']);
    expect(env.source).toBe(`${file} with outputs from ${path.join(dir, 'infra', 'prod-outputs.json')}`);
  });

  test('reads the whole document from one Terraform output', () => {
    const env = Environment.load(write('environments/prod.yaml', 'terraform: { file: ../infra/whole.json, output: netpol_environment }\n'));
    expect(env.name).toBe('prod');
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('reads the document from a ConfigMap, with the name of the file', () => {
    const env = Environment.load(
      write('environments/live.yaml', 'name: live\nconfigMap: { file: ../infra/netpol-env.yaml, name: netpol-environment }\n'),
    );
    expect(env.name).toBe('live');
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
  });

  test('loadAll skips the Terraform output and ConfigMap files that environment files in the same folder name', () => {
    fs.copyFileSync(fixture('terraform-outputs.json'), path.join(dir, 'environments', 'prod-outputs.json'));
    fs.copyFileSync(fixture('configmap.yaml'), path.join(dir, 'environments', 'live-configmap.yaml'));
    write('environments/prod.yaml', 'name: prod\nterraform: { file: prod-outputs.json, map: { cidrs.corporate: corporate_cidr } }\n');
    write('environments/live.yaml', 'name: live\nconfigMap: { file: live-configmap.yaml }\n');
    expect(Environment.loadAll([path.join(dir, 'environments')]).map((e) => e.name)).toEqual(['live', 'prod']);
  });

  test('errors in mapped values name the output they came from; a hostname is not advised to be wrapped in a list', () => {
    const file = write(
      'environments/prod.yaml',
      'name: prod\nterraform: { file: ../infra/prod-outputs.json, map: { databases.reports.cidrs: reports_db_host } }\n',
    );
    expect(problems(() => Environment.load(file))).toEqual([
      `${file} with outputs from ${path.join(dir, 'infra', 'prod-outputs.json')}: databases.reports.cidrs: from terraform output "reports_db_host": expected a list of one or more CIDRs such as ["10.0.0.0/24"], got the string "reports.db.internal", and it is not a valid entry either: "reports.db.internal" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer`,
    ]);
  });

  test.each([
    [
      'terraform: { file: ../infra/whole.json, outputs: x }\n',
      'terraform.outputs: unknown key "outputs" in terraform; expected one of file, output, map. Did you mean "output"?',
    ],
    [
      'terraform: { output: netpol_environment }\n',
      'terraform.file: required: the file written by "terraform output -json", relative to this file (e.g. file: ../infra/prod-outputs.json)',
    ],
    [
      'terraform: { file: ../infra/whole.json }\n',
      'terraform: give output (the output that holds the whole environment, e.g. output: netpol_environment) or map (key paths set from outputs, e.g. map: { "databases.orders.cidrs": orders_db_cidrs })',
    ],
    [
      'name: prod\ncidrs: { a: 10.0.0.0/8 }\nterraform: { file: ../infra/whole.json, output: netpol_environment }\n',
      'terraform.output: output "netpol_environment" holds the whole environment, so this file holds only name and terraform; move cidrs into the output, or map outputs onto this file\'s keys with terraform.map instead',
    ],
    [
      'terraform: { file: a.json, map: {} }\nconfigMap: { file: b.yaml }\n',
      'configMap: an environment comes from one source; give either terraform or configMap, not both',
    ],
    [
      'name: live\ncidrs: {}\nconfigMap: { file: ../infra/netpol-env.yaml }\n',
      "cidrs: the environment comes from ConfigMap file ../infra/netpol-env.yaml, so this file holds only name and configMap; move cidrs into the ConfigMap's document",
    ],
  ])('throws for %j', (text, message) => {
    const file = write('environments/bad.yaml', text);
    expect(problems(() => Environment.load(file))).toEqual([`${file}: ${message}`]);
  });

  test('throws naming the Terraform file it names when that is missing', () => {
    const file = write('environments/prod.yaml', 'name: prod\nterraform: { file: ../infra/nope.json, map: { cidrs.a: a } }\n');
    expect(problems(() => Environment.load(file))).toEqual([
      `${path.join(dir, 'infra', 'nope.json')}: Terraform output file not found; check the path, or create the file`,
    ]);
  });
});

describe('a file of another kind given as an environment file', () => {
  test('the output of terraform output -json says what it is and what to write', () => {
    expect(problems(() => Environment.load(fixture('terraform-whole.json')))).toEqual([
      `${fixture('terraform-whole.json')}: is the output of "terraform output -json", not an environment file; write an environment file that names it (name: <environment> and terraform: { file: terraform-whole.json, output: netpol_environment }, the path relative to that file), or read it with Environment.fromTerraformOutput`,
    ]);
    expect(problems(() => Environment.load(fixture('terraform-outputs.json')))).toEqual([
      `${fixture('terraform-outputs.json')}: is the output of "terraform output -json", not an environment file; write an environment file that names it (name: <environment> and terraform: { file: terraform-outputs.json, map: { "<key path>": <output> } } with outputs corporate_cidr, db_password, orders_db_cidrs, orders_db_port, reports_db_host, the path relative to that file), or read it with Environment.fromTerraformOutput`,
    ]);
  });

  test('a ConfigMap manifest says what it is and what to write', () => {
    expect(problems(() => Environment.load(fixture('configmap.yaml')))).toEqual([
      `${fixture('configmap.yaml')}: is a Kubernetes ConfigMap manifest, not an environment file; write an environment file that names it (name: <environment> and configMap: { file: configmap.yaml, key: environment.yaml }, the path relative to that file), or read it with Environment.fromConfigMap`,
    ]);
  });
});
