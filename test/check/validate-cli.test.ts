import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol as run, ROOT } from '../cli/run';

const FIXTURES = 'test/fixtures/validate';

/** Runs `netpol validate <args>` from the repository root. */
function netpol(...args: string[]): { code: number | null; stdout: string[]; stderr: string[] } {
  const p = run('validate', ...args);
  const split = (s: string) => s.split('\n').filter((l) => l !== '');
  return { code: p.code, stdout: split(p.stdout), stderr: split(p.stderr) };
}

jest.setTimeout(60_000);

test('netpol validate prints one line per error and a summary, and exits 1 when a policy is invalid', () => {
  const run = netpol(`${FIXTURES}/seeds/quoted-port.yaml`, `${FIXTURES}/seeds/ports-map.yaml`, `${FIXTURES}/object/valid.yaml`);
  expect(run.stdout).toEqual([
    `${FIXTURES}/seeds/quoted-port.yaml: spec.ingress[0].ports[0].port: Invalid value: "5432": must contain at least one letter (a-z) (hint: a quoted number is a port name: write 5432 without quotes)`,
    `${FIXTURES}/seeds/ports-map.yaml: spec.ingress[0].ports: expected a list of ports, got a map (hint: write each port as a list item: put "- " before its first field)`,
  ]);
  expect(run.stderr).toEqual(['3 NetworkPolicies checked, 2 invalid (2 errors)']);
  expect(run.code).toBe(1);
});

test('netpol validate exits 0 when every NetworkPolicy is valid, skipping other documents', () => {
  const valid = ['metadata', 'selectors', 'policy-types', 'ports', 'peers', 'ipblock', 'structure', 'object'].map(
    (d) => `${FIXTURES}/${d}/valid.yaml`,
  );
  const run = netpol(...valid);
  expect(run.stdout).toEqual([]);
  expect(run.stderr).toEqual(['13 NetworkPolicies checked, 0 invalid']);
  expect(run.code).toBe(0);
});

test('netpol validate checks ClusterNetworkPolicies against the CRD of the channel given', () => {
  const file = `test/fixtures/validate-cluster-network-policy/valid.yaml`;
  const experimental = netpol(file);
  expect([experimental.code, experimental.stdout, experimental.stderr]).toEqual([
    0,
    [],
    ['0 NetworkPolicies and 3 ClusterNetworkPolicies checked, 0 invalid'],
  ]);
  const standard = netpol('--cnp-channel', 'standard', file);
  expect(standard.code).toBe(1);
  expect(standard.stdout).toEqual([
    `${file}#0: spec.egress[1].to[0].domainNames: unknown field "domainNames"; the fields here are namespaces, pods, networks (hint: domainNames peers need the experimental channel of the ClusterNetworkPolicy CRD)`,
    `${file}#0: spec.egress[1].to[0]: Invalid value: 0: spec.egress[1].to[0] in body should have at least 1 properties`,
    `${file}#0: spec.egress[2].to[0].nodes: unknown field "nodes"; the fields here are namespaces, pods, networks (hint: nodes peers need the experimental channel of the ClusterNetworkPolicy CRD)`,
    `${file}#0: spec.egress[2].to[0]: Invalid value: 0: spec.egress[2].to[0] in body should have at least 1 properties`,
  ]);
  expect(standard.stderr).toEqual(['0 NetworkPolicies and 3 ClusterNetworkPolicies checked, 1 invalid (4 errors)']);
});

test('netpol validate shows the document index for files with several documents', () => {
  const run = netpol(`${FIXTURES}/peers/invalid.yaml`);
  expect(run.stdout.map((l) => l.slice(0, l.indexOf(': ')))).toEqual([
    `${FIXTURES}/peers/invalid.yaml#0`,
    `${FIXTURES}/peers/invalid.yaml#0`,
    `${FIXTURES}/peers/invalid.yaml#0`,
    `${FIXTURES}/peers/invalid.yaml#1`,
  ]);
  expect(run.code).toBe(1);
});

test('netpol validate --legacy-cidrs accepts host bits as API servers up to 1.35 do', () => {
  expect(netpol(`${FIXTURES}/seeds/host-bits.yaml`).code).toBe(1);
  const run = netpol('--legacy-cidrs', `${FIXTURES}/seeds/host-bits.yaml`);
  expect([run.code, run.stdout, run.stderr]).toEqual([0, [], ['1 NetworkPolicy checked, 0 invalid']]);
});

test('netpol validate --output json prints the results with their issues', () => {
  const run = netpol('--output', 'json', `${FIXTURES}/object/list.yaml`);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout.join('\n'))).toEqual({
    checked: 2,
    invalid: 1,
    errors: 1,
    results: [
      {
        kind: 'NetworkPolicy',
        file: `${FIXTURES}/object/list.yaml`,
        doc: 0,
        item: 0,
        location: `${FIXTURES}/object/list.yaml#0.items[0]`,
        name: 'allow-web',
        namespace: 'shop',
        issues: [],
        valid: true,
      },
      {
        kind: 'NetworkPolicy',
        file: `${FIXTURES}/object/list.yaml`,
        doc: 0,
        item: 1,
        location: `${FIXTURES}/object/list.yaml#0.items[1]`,
        name: 'allow-db',
        namespace: 'shop',
        issues: [
          {
            code: 'field.invalid',
            path: 'spec.ingress[0].ports[0].port',
            message: 'Invalid value: "5432": must contain at least one letter (a-z)',
            hint: 'a quoted number is a port name: write 5432 without quotes',
          },
        ],
        valid: false,
      },
    ],
  });
  expect(run.stderr).toEqual(['2 NetworkPolicies checked, 1 invalid (1 error)']);
});

describe('usage errors and unreadable files exit 2 without a stack trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-validate-'));
    fs.writeFileSync(
      path.join(dir, 'broken.yaml'),
      fs.readFileSync(path.join(ROOT, FIXTURES, 'seeds', 'quoted-port.yaml'), 'utf8') + '---\nspec: [\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('rejects a missing file', () => {
    const run = netpol('no/such/file.yaml');
    expect([run.code, run.stdout, run.stderr]).toEqual([2, [], ['netpol: no/such/file.yaml: no such file or folder']]);
  });

  test('rejects a YAML syntax error, and with --skip-invalid checks the documents before it', () => {
    const file = path.join(dir, 'broken.yaml');
    const run = netpol(file);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([
      `netpol: ${file}:14: YAML syntax error in document 1: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the file, or pass --skip-invalid to analyse only the documents before it`,
    ]);
    const skipping = netpol('--skip-invalid', file);
    expect(skipping.code).toBe(1);
    expect(skipping.stdout).toHaveLength(1);
    expect(skipping.stderr).toEqual([
      `netpol: warning: ${file}:14: YAML syntax error in document 1: Flow sequence in block collection must be sufficiently indented and end with a ]; skipped this document and the 0 after it`,
      '1 NetworkPolicy checked, 1 invalid (1 error)',
    ]);
  });

  test('names the flag of the way out, and leaves a file name holding the option name as it is', () => {
    const file = path.join(dir, 'skipInvalid.yaml');
    fs.writeFileSync(file, 'a: [b\n');
    const run = netpol(file);
    expect(run.code).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(
      /^netpol: .*\/skipInvalid\.yaml:\d+: YAML syntax error in document 0: .*; fix the file, or pass --skip-invalid to analyse/,
    );
  });

  test('rejects no path and an unknown output format', () => {
    expect(netpol().code).toBe(2);
    const run = netpol('--output', 'xml', `${FIXTURES}/seeds`);
    expect(run.code).toBe(2);
    expect(run.stderr[0]).toBe("error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are text, json.");
  });
});
