import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../lib/env';
import { codes, fixture, problems } from './helpers';

const OUTPUTS = fixture('terraform-outputs.json');
const AVAILABLE = 'corporate_cidr, db_password, orders_db_cidrs, orders_db_port, reports_db_host';

describe('Environment.fromTerraformOutput', () => {
  test('reads the whole environment from the netpol_environment output by default', () => {
    const env = Environment.fromTerraformOutput(fixture('terraform-whole.json'));
    expect(env.name).toBe('prod');
    expect(env.source).toBe(`${fixture('terraform-whole.json')} (output "netpol_environment")`);
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
    expect(env.database('orders').cidrs.map(String)).toEqual(['10.20.0.0/24']);
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('reads the whole environment from a named output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-env-'));
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ env_doc: { sensitive: false, type: 'object', value: { name: 'qa', cidrs: { corporate: '10.0.0.0/8' } } } }),
    );
    try {
      const env = Environment.fromTerraformOutput(file, { output: 'env_doc' });
      expect(env.name).toBe('qa');
      expect(env.cidrNames()).toEqual(['corporate']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sets key paths of the document from mapped outputs', () => {
    const env = Environment.fromTerraformOutput(OUTPUTS, {
      name: 'prod',
      map: { 'cidrs.corporate': 'corporate_cidr', 'databases.orders.cidrs': 'orders_db_cidrs', 'databases.orders.port': 'orders_db_port' },
    });
    expect(env.name).toBe('prod');
    expect(env.source).toBe(OUTPUTS);
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
    expect(env.database('orders').cidrs.map(String)).toEqual(['10.20.0.0/24', '10.20.1.0/24']);
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('sets a list entry from a mapped output with an index in the key path', () => {
    const env = Environment.fromTerraformOutput(OUTPUTS, { name: 'prod', map: { 'dns.nodeLocalCidrs[0]': 'corporate_cidr' } });
    expect(env.dns.nodeLocalCidrs.map(String)).toEqual(['172.20.0.0/16']);
  });

  test('lays mapped outputs over a base file', () => {
    const env = Environment.fromTerraformOutput(OUTPUTS, {
      base: fixture('terraform-base.yaml'),
      map: { 'databases.orders.cidrs': 'orders_db_cidrs' },
    });
    expect(env.name).toBe('prod');
    expect(env.source).toBe(`${fixture('terraform-base.yaml')} with outputs from ${OUTPUTS}`);
    expect(env.cidrNames()).toEqual(['corporate', 'docsBackend']);
    expect(env.ipBlock('corporate').toString()).toBe('172.16.0.0/16');
    expect(env.database('orders').cidrs.map(String)).toEqual(['10.20.0.0/24', '10.20.1.0/24']);
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('throws for a missing output, listing the available ones and the likely one', () => {
    expect(
      problems(() =>
        Environment.fromTerraformOutput(OUTPUTS, { name: 'prod', map: { 'cidrs.corporate': 'corporate_cdir', 'cidrs.vpn': 'vpn_cidr' } }),
      ),
    ).toEqual([
      `${OUTPUTS}: corporate_cdir: no output "corporate_cdir" (for cidrs.corporate); the file has ${AVAILABLE}. Did you mean "corporate_cidr"? Declare it in the Terraform configuration and apply, or fix the name`,
      `${OUTPUTS}: vpn_cidr: no output "vpn_cidr" (for cidrs.vpn); the file has ${AVAILABLE}. Declare it in the Terraform configuration and apply, or fix the name`,
    ]);
    expect(codes(() => Environment.fromTerraformOutput(OUTPUTS, { name: 'prod', map: { 'cidrs.vpn': 'vpn_cidr' } }))).toEqual([
      'env.terraform-missing',
    ]);
  });

  test('throws when the default whole-environment output is missing', () => {
    expect(problems(() => Environment.fromTerraformOutput(OUTPUTS))).toEqual([
      `${OUTPUTS}: netpol_environment: no output "netpol_environment" (the whole environment); the file has ${AVAILABLE}. Declare it in the Terraform configuration and apply, or fix the name`,
    ]);
  });

  test('throws for a sensitive output instead of copying it into manifests', () => {
    expect(problems(() => Environment.fromTerraformOutput(OUTPUTS, { name: 'prod', map: { 'cidrs.corporate': 'db_password' } }))).toEqual([
      `${OUTPUTS}: db_password: output "db_password" is marked sensitive, and its value would be written into manifests anyone can read; addresses and ports are not secrets, so declare the output without sensitive = true (or put the value in the environment file)`,
    ]);
  });

  test('throws naming the output a bad value came from', () => {
    expect(
      problems(() =>
        Environment.fromTerraformOutput(OUTPUTS, {
          base: fixture('terraform-base.yaml'),
          map: { 'databases.orders.cidrs[0]': 'reports_db_host' },
        }),
      ),
    ).toEqual([
      `${fixture('terraform-base.yaml')} with outputs from ${OUTPUTS}: databases.orders.cidrs[0]: from terraform output "reports_db_host": "reports.db.internal" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer`,
    ]);
  });

  test('throws when mapped outputs leave the environment without a name', () => {
    expect(problems(() => Environment.fromTerraformOutput(OUTPUTS, { map: { 'cidrs.corporate': 'corporate_cidr' } }))).toEqual([
      `${OUTPUTS}: name: required key "name" is missing; expected the environment's name, a safe folder name such as "prod"; pass { name: "<environment>" } or map an output to "name"`,
    ]);
  });

  test('throws for a map key that is not a key path', () => {
    expect(
      problems(() => Environment.fromTerraformOutput(OUTPUTS, { name: 'prod', map: { 'cidrs..corporate': 'corporate_cidr' } })),
    ).toEqual([
      `${OUTPUTS}: map key "cidrs..corporate" is not a key path; write it as dotted keys with [n] for list entries, e.g. "databases.orders.cidrs" or "cidrs.corporate"`,
    ]);
  });

  test('throws when both base and output are given', () => {
    expect(
      problems(() => Environment.fromTerraformOutput(OUTPUTS, { base: fixture('terraform-base.yaml'), output: 'netpol_environment' })),
    ).toEqual([
      `${OUTPUTS}: give either base (an environment file to lay outputs over) or output (an output that holds the whole environment), not both`,
    ]);
  });

  test('throws for a file that is not terraform output JSON', () => {
    const f = fixture('terraform-not-outputs.json');
    expect(problems(() => Environment.fromTerraformOutput(f))).toEqual([
      `${f}: is not the output of "terraform output -json" (expected a mapping of output names to {value, type, sensitive}); create it with: terraform output -json > ${f}`,
    ]);
  });

  test('throws for an output entry without a value', () => {
    const f = fixture('terraform-base.yaml');
    expect(problems(() => Environment.fromTerraformOutput(f, { name: 'prod', map: { 'cidrs.corporate': 'cidrs' } }))).toEqual([
      `${f}: cidrs: output "cidrs" has no "value"; the file does not look like the output of "terraform output -json"`,
    ]);
  });

  test('throws for a missing terraform file and a missing base file', () => {
    expect(problems(() => Environment.fromTerraformOutput(fixture('no-such-output.json')))).toEqual([
      `${fixture('no-such-output.json')}: Terraform output file not found; check the path, or create the file`,
    ]);
    expect(
      problems(() =>
        Environment.fromTerraformOutput(OUTPUTS, { base: fixture('no-such-base.yaml'), map: { 'cidrs.corporate': 'corporate_cidr' } }),
      ),
    ).toEqual([`${fixture('no-such-base.yaml')}: environment file not found; check the path, or create the file`]);
  });
});
