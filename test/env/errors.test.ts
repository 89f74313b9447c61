import { Environment } from '../../lib/env';
import { NetpolError } from '../../lib/model/errors';
import { codes, fixture, problems } from './helpers';

const HOSTNAME_EXPLANATION =
  'is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer';
const DNS_LABEL_RULE =
  "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";

const load = (name: string) => () => Environment.load(fixture(name));

describe('environment file errors', () => {
  test('throws one NetpolError located at the file', () => {
    let error: unknown;
    try {
      Environment.load(fixture('hostname.yaml'));
    } catch (e) {
      error = e;
    }
    expect(NetpolError.isNetpolError(error)).toBe(true);
    const e = error as NetpolError;
    expect(e.where).toBe(fixture('hostname.yaml'));
    expect(e.code).toBe('cidr.hostname');
    expect(e.issues).toEqual([
      { code: 'cidr.hostname', path: 'databases.orders.cidrs[0]', message: `"db.example.com" ${HOSTNAME_EXPLANATION}` },
    ]);
    expect(e.message).toBe(`${fixture('hostname.yaml')}: databases.orders.cidrs[0]: "db.example.com" ${HOSTNAME_EXPLANATION}`);
  });

  test('throws on values of the wrong type, saying what was expected and what was found', () => {
    expect(problems(load('wrong-type.yaml'))).toEqual([
      `${fixture('wrong-type.yaml')}: cidrs.corporate: expected a CIDR string such as "10.0.0.0/16", or a mapping {cidr, except}, got the number 172`,
      `${fixture('wrong-type.yaml')}: databases.orders.cidrs: expected a list of one or more CIDRs such as ["10.0.0.0/24"], got the string "10.20.0.0/24"; for one entry write [10.20.0.0/24]`,
    ]);
    expect(codes(load('wrong-type.yaml'))).toEqual(['env.type', 'env.type']);
  });

  test('throws on an unknown key, listing the allowed keys and the likely typo', () => {
    expect(problems(load('unknown-key.yaml'))).toEqual([
      `${fixture('unknown-key.yaml')}: databases.orders.prot: unknown key "prot" in databases.orders; expected one of cidrs, cidr, port, endPort, ports, protocol. Did you mean "port"?`,
      `${fixture('unknown-key.yaml')}: databases.orders: no port given; add port: <number> (e.g. port: 5432), or ports: [{port, protocol}, ...] for several`,
    ]);
  });

  test('throws on an unknown top-level key without a suggestion when nothing is close', () => {
    expect(problems(() => Environment.fromObject({ name: 'dev', networks: {} }, 'inline.yaml'))).toEqual([
      'inline.yaml: networks: unknown key "networks" at the top level; expected one of name, dns, cidrs, databases, domains, extras.',
    ]);
  });

  test('throws on bad CIDRs with the model explanation and fix', () => {
    expect(problems(load('bad-cidr.yaml'))).toEqual([
      `${fixture('bad-cidr.yaml')}: cidrs.corporate: "172.20.0.0/33" has an invalid prefix length "33"; an IPv4 prefix is 0-32`,
      `${fixture('bad-cidr.yaml')}: cidrs.office: CIDR mask is missing in "10.1.2.3". Did you mean "10.1.2.3/32"?`,
      `${fixture('bad-cidr.yaml')}: cidrs.lab: CIDR "10.1.2.0/16" has bits set beyond its /16 prefix; write the network address "10.1.0.0/16" (or "10.1.2.0/32" for the single address)`,
    ]);
  });

  test('throws on a hostname given as a database CIDR', () => {
    expect(problems(load('hostname.yaml'))).toEqual([
      `${fixture('hostname.yaml')}: databases.orders.cidrs[0]: "db.example.com" ${HOSTNAME_EXPLANATION}`,
    ]);
  });

  test('throws on a single database address without a mask, suggesting /32 and /128', () => {
    expect(
      problems(() =>
        Environment.fromObject({ name: 'dev', databases: { a: { cidrs: ['10.0.0.5', '2001:db8::5'], port: 5432 } } }, 'inline.yaml'),
      ),
    ).toEqual([
      'inline.yaml: databases.a.cidrs[0]: CIDR mask is missing in "10.0.0.5". Did you mean "10.0.0.5/32"?',
      'inline.yaml: databases.a.cidrs[1]: CIDR mask is missing in "2001:db8::5". Did you mean "2001:db8::5/128"?',
    ]);
  });

  test('throws on an except outside its cidr', () => {
    expect(problems(load('except-outside.yaml'))).toEqual([
      `${fixture('except-outside.yaml')}: cidrs.docsClients.except[0]: except "172.18.1.0/24" must be strictly within the cidr "172.17.0.0/16"; remove it or use a smaller range inside the cidr`,
    ]);
  });

  test('throws on ports out of range and a range that ends below its start', () => {
    expect(problems(load('bad-port.yaml'))).toEqual([
      `${fixture('bad-port.yaml')}: databases.orders.port: port 70000 is out of range; a port number is an integer from 1 to 65535`,
      `${fixture('bad-port.yaml')}: databases.reports.endPort: endPort 5000 is below port 6000; endPort must be greater than or equal to port`,
    ]);
  });

  test('throws on a lower-case protocol', () => {
    expect(problems(load('bad-protocol.yaml'))).toEqual([
      `${fixture('bad-protocol.yaml')}: databases.orders.protocol: protocol "tcp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`,
    ]);
    expect(codes(load('bad-protocol.yaml'))).toEqual(['port.protocol']);
  });

  test('throws on a lower-case protocol in a port list entry, at that entry', () => {
    expect(
      problems(() =>
        Environment.fromObject(
          { name: 'dev', databases: { a: { cidr: '10.0.0.0/24', ports: [{ port: 1 }, { port: 2, protocol: 'udp' }] } } },
          'inline.yaml',
        ),
      ),
    ).toEqual(['inline.yaml: databases.a.ports[1].protocol: protocol "udp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)']);
  });

  test('throws on every bad entry of a port list, even next to an entry of the wrong type', () => {
    expect(
      problems(() =>
        Environment.fromObject(
          { name: 'dev', databases: { a: { cidr: '10.0.0.0/24', ports: [{ port: 1, endPort: 0 }, { port: 'pg' }] } } },
          'inline.yaml',
        ),
      ),
    ).toEqual([
      'inline.yaml: databases.a.ports[0].endPort: endPort 0 is out of range; a port number is an integer from 1 to 65535',
      'inline.yaml: databases.a.ports[1].port: expected a port number from 1 to 65535, got the string "pg"',
    ]);
  });

  test('throws on an unsafe environment name from the file', () => {
    expect(problems(load('unsafe-name.yaml'))).toEqual([
      `${fixture('unsafe-name.yaml')}: name: name "../prod" is not a safe folder name (it becomes dist/<name>/): it ${DNS_LABEL_RULE}; write "prod"`,
    ]);
  });

  test.each([
    ['Prod', 'write "prod"'],
    ['a/b', 'write "a-b"'],
    ['', 'write a name such as "prod"'],
    ['-', 'write a name such as "prod"'],
  ])('throws on the unsafe name %j', (name, fix) => {
    expect(problems(() => Environment.fromObject({ name }, 'inline.yaml'))).toEqual([
      `inline.yaml: name: name ${JSON.stringify(name)} is not a safe folder name (it becomes dist/<name>/): it ${DNS_LABEL_RULE}; ${fix}`,
    ]);
  });

  test('throws on a name longer than 63 characters', () => {
    const name = 'a'.repeat(64);
    expect(problems(() => Environment.fromObject({ name }, 'inline.yaml'))).toEqual([
      `inline.yaml: name: name "${name}" is not a safe folder name (it becomes dist/<name>/): it must be no more than 63 characters; write "${'a'.repeat(63)}"`,
    ]);
  });

  test('throws when the name is missing', () => {
    expect(problems(() => Environment.fromObject({ cidrs: {} }, 'inline.yaml'))).toEqual([
      'inline.yaml: name: required key "name" is missing; expected the environment\'s name, a safe folder name such as "prod"',
    ]);
  });

  test('throws on a missing file without a stack trace', () => {
    expect(problems(load('no-such-file.yaml'))).toEqual([
      `${fixture('no-such-file.yaml')}: environment file not found; check the path, or create the file`,
    ]);
    expect(codes(load('no-such-file.yaml'))).toEqual(['env.file-missing']);
  });

  test('throws on a folder given as the file', () => {
    expect(problems(() => Environment.load('test/env/fixtures'))).toEqual([
      'test/env/fixtures: is a folder, not an environment file; give the path of the file',
    ]);
  });

  test('throws on a YAML syntax error, naming the line', () => {
    expect(problems(load('syntax-error.yaml'))).toEqual([
      `${fixture('syntax-error.yaml')}: YAML syntax error at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the file`,
    ]);
    let message = '';
    try {
      Environment.load(fixture('syntax-error.yaml'));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toMatch(/\n\s+at /);
  });

  test('throws on a JSON syntax error, naming the line', () => {
    expect(problems(load('bad.json'))).toEqual([
      `${fixture('bad.json')}: JSON syntax error at line 3, column 44: Expected double-quoted property name; fix the file`,
    ]);
  });

  test('throws on an empty file', () => {
    expect(problems(load('empty.yaml'))).toEqual([
      `${fixture('empty.yaml')}: the environment is empty; it needs at least "name: <environment>", e.g. "name: prod"`,
    ]);
  });

  test('throws on a file with several YAML documents', () => {
    expect(problems(load('two-documents.yaml'))).toEqual([
      `${fixture('two-documents.yaml')}: holds 2 YAML documents; an environment is one document, so remove the "---" separators or split the file`,
    ]);
  });

  test('throws on a document that is not a mapping', () => {
    expect(problems(() => Environment.fromObject(['name: prod'], 'inline.yaml'))).toEqual([
      'inline.yaml: expected an environment: a mapping with name, and optionally dns, cidrs, databases, domains and extras, got a list of 1 entry',
    ]);
  });

  test('throws with every problem of the file at once', () => {
    const f = fixture('several-problems.yaml');
    expect(problems(load('several-problems.yaml'))).toEqual([
      `${f}: name: name "Prod" is not a safe folder name (it becomes dist/<name>/): it ${DNS_LABEL_RULE}; write "prod"`,
      `${f}: dns.port: port 0 is out of range; a port number is an integer from 1 to 65535`,
      `${f}: cidrs.corporate: CIDR mask is missing in "172.20.0.0". Did you mean "172.20.0.0/32"?`,
      `${f}: databases.orders.cidrs[0]: "db.example.com" ${HOSTNAME_EXPLANATION}`,
      `${f}: databases.orders.port: expected a port number from 1 to 65535, got the string "5432"; write the number without quotes`,
      `${f}: databases.reports: no port given; add port: <number> (e.g. port: 5432), or ports: [{port, protocol}, ...] for several`,
      `${f}: databses: unknown key "databses" at the top level; expected one of name, dns, cidrs, databases, domains, extras. Did you mean "databases"?`,
      `${f}: extras: extras is set but nothing checks it; pass a zod schema as { extras: z.object({...}) } when loading the environment, or remove the key`,
    ]);
  });

  test('throws on database addresses and ports given twice or not at all', () => {
    expect(
      problems(() =>
        Environment.fromObject(
          {
            name: 'dev',
            databases: {
              twice: { cidr: '10.0.0.0/24', cidrs: ['10.0.1.0/24'], port: 5432, ports: [{ port: 5433 }] },
              none: {},
              range: { cidr: '10.0.0.0/24', endPort: 10 },
            },
          },
          'inline.yaml',
        ),
      ),
    ).toEqual([
      'inline.yaml: databases.twice.cidr: give either cidr (one block) or cidrs (a list), not both; move it into cidrs',
      'inline.yaml: databases.twice.port: give either port (with an optional endPort) or ports (a list), not both',
      'inline.yaml: databases.none: no address given; add cidrs: [<CIDR>, ...] (or cidr: <CIDR> for one block), e.g. cidrs: [10.0.0.0/24]',
      'inline.yaml: databases.none: no port given; add port: <number> (e.g. port: 5432), or ports: [{port, protocol}, ...] for several',
      'inline.yaml: databases.range.endPort: endPort 10 needs a numeric port to start the range',
    ]);
  });

  test('throws on an empty database address list and a non-mapping database', () => {
    expect(
      problems(() => Environment.fromObject({ name: 'dev', databases: { a: { cidrs: [], port: 1 }, b: 'db.example.com' } }, 'inline.yaml')),
    ).toEqual([
      'inline.yaml: databases.a.cidrs: expected a list of one or more CIDRs such as ["10.0.0.0/24"], got an empty list',
      'inline.yaml: databases.b: expected a database: a mapping with cidrs (or cidr) and port (or ports), got the string "db.example.com"',
    ]);
  });

  test('throws on bad DNS settings, each at its key', () => {
    expect(
      problems(() =>
        Environment.fromObject(
          {
            name: 'dev',
            dns: {
              namespace: 'Kube_System',
              namespaceLabels: { 'kubernetes.io/metadata.name': 'dns!' },
              pods: { 'k8s-app': 53 },
              port: 53,
              ports: [{ port: 53, protocol: 'UDP' }],
              nodeLocalCidrs: ['169.254.20.10'],
              cache: true,
            },
          },
          'inline.yaml',
        ),
      ),
    ).toEqual([
      `inline.yaml: dns.namespace: namespace name "Kube_System" is invalid: ${DNS_LABEL_RULE}`,
      "inline.yaml: dns.namespaceLabels[\"kubernetes.io/metadata.name\"]: label value \"dns!\" of \"kubernetes.io/metadata.name\" is invalid: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
      'inline.yaml: dns.pods.k8s-app: label "k8s-app" has the value 53; label values are strings (quote numbers and booleans in YAML)',
      'inline.yaml: dns.nodeLocalCidrs[0]: CIDR mask is missing in "169.254.20.10". Did you mean "169.254.20.10/32"?',
      'inline.yaml: dns.cache: unknown key "cache" in dns; expected one of namespace, namespaceLabels, pods, port, ports, nodeLocalCidrs.',
      'inline.yaml: dns.ports: give either port (UDP and TCP on one port) or ports (a list of {port, protocol}), not both',
    ]);
  });

  test('throws on a DNS port entry without a protocol and on a port of the wrong type', () => {
    expect(
      problems(() =>
        Environment.fromObject(
          { name: 'dev', dns: { ports: [{ port: 53 }, { port: [53], protocol: 'UDP' }, { port: '53', protocol: 'UDP' }] } },
          'inline.yaml',
        ),
      ),
    ).toEqual([
      'inline.yaml: dns.ports[0].protocol: required key "protocol" is missing; expected "TCP", "UDP" or "SCTP"',
      'inline.yaml: dns.ports[1].port: expected a port number from 1 to 65535, or a port name such as "dns", got a list of 1 entry',
      'inline.yaml: dns.ports[2].port: port name "53" is all digits; a quoted number is read as a port name, so write the number 53 without quotes',
    ]);
  });

  test('throws on a malformed except mapping, following the mapping form', () => {
    expect(
      problems(() => Environment.fromObject({ name: 'dev', cidrs: { a: { cidr: 10, exept: ['10.0.0.0/24'] } } }, 'inline.yaml')),
    ).toEqual([
      'inline.yaml: cidrs.a.cidr: expected a CIDR string such as "10.0.0.0/16", got the number 10',
      'inline.yaml: cidrs.a.exept: unknown key "exept" in cidrs.a; expected one of cidr, except. Did you mean "except"?',
    ]);
  });
});
