import * as fc from 'fast-check';
import { IpBlock } from '../../../lib/model/cidr';
import { DomainName } from '../../../lib/model/domain-name';
import { NetpolError } from '../../../lib/model/errors';
import { Port } from '../../../lib/model/port';
import { parseEnvironment as viaSchema, ParsedEnvironment } from '../../../lib/env/schema';
import { parseDataText } from '../../../lib/env/private/files';
import { parseEnvironment } from '../../../lib/env/private/parse-environment';
import { plainEnvironment } from '../../../lib/env/private/plain-environment';
import { DEFAULT_DNS } from '../../../lib/env/settings';

/** What the schema makes of a document: the environment, or its problems as the CLI prints them. */
function schemaOf(doc: unknown): { env: ParsedEnvironment } | { error: string } {
  try {
    return { env: viaSchema(doc, 'env.yaml') };
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return { error: e.message };
  }
}

/** Every value of an environment that must be frozen, with where it sits. */
function frozenParts(env: ParsedEnvironment): Array<[string, unknown]> {
  const parts: Array<[string, unknown]> = [
    ['dns', env.dns],
    ['dns.pods', env.dns.pods],
    ['dns.ports', env.dns.ports],
    ['dns.nodeLocalCidrs', env.dns.nodeLocalCidrs],
  ];
  if (env.dns.namespaceLabels) parts.push(['dns.namespaceLabels', env.dns.namespaceLabels]);
  for (const [name, d] of env.databases)
    parts.push([`databases.${name}`, d], [`databases.${name}.cidrs`, d.cidrs], [`databases.${name}.ports`, d.ports]);
  for (const [name, list] of env.domains) parts.push([`domains.${name}`, list]);
  return parts;
}

/**
 * The plain path either declines or gives exactly what the schema gives: the same values and
 * classes (`toStrictEqual` compares classes), the same maps in the same key order, the same
 * frozen objects, the very defaults of `settings.ts`. A declined document gets the schema's
 * answer, word for word, through `parseEnvironment`.
 */
function expectAgreement(doc: unknown): { plain: boolean; schema: boolean } {
  const plain = plainEnvironment(doc);
  const schema = schemaOf(doc);
  if (plain === undefined) {
    if ('error' in schema) expect(() => parseEnvironment(doc, 'env.yaml')).toThrow(schema.error);
    else expect(parseEnvironment(doc, 'env.yaml')).toStrictEqual(schema.env);
    return { plain: false, schema: !('error' in schema) };
  }
  if ('error' in schema) throw new Error(`the plain path accepted what the schema refuses (${schema.error}):\n${JSON.stringify(doc)}`);
  const env = schema.env;
  expect(plain).toStrictEqual(env);
  for (const key of ['cidrs', 'databases', 'domains'] as const) expect([...plain[key].keys()]).toEqual([...env[key].keys()]);
  expect(Object.keys(plain.dns)).toEqual(Object.keys(env.dns));
  expect(plain.dns === DEFAULT_DNS).toBe(env.dns === DEFAULT_DNS);
  expect(plain.dns.pods === DEFAULT_DNS.pods).toBe(env.dns.pods === DEFAULT_DNS.pods);
  for (const [where, part] of frozenParts(plain)) expect([where, Object.isFrozen(part)]).toEqual([where, true]);
  for (const b of plain.cidrs.values()) expect(b).toBeInstanceOf(IpBlock);
  for (const d of plain.databases.values()) {
    expect(Object.keys(d)).toEqual(['name', 'cidrs', 'ports']);
    for (const p of d.ports) expect(p).toBeInstanceOf(Port);
  }
  for (const list of plain.domains.values()) for (const n of list) expect(n).toBeInstanceOf(DomainName);
  return { plain: true, schema: true };
}

// ---- documents built from the schema's shapes ---------------------------------------------

/** A network address with its host bits cleared, as text. */
function ipv4(address: number, prefix: number): string {
  const masked = prefix === 0 ? 0 : (address & (~0 << (32 - prefix))) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${prefix}`;
}

const cidrText = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })).map(([a, p]) => ipv4(a, p)),
  fc.constantFrom('10.0.0.0/8', '172.16.0.0/12', '0.0.0.0/0', '169.254.20.10/32', 'fd00::/8', '2001:db8::/32', '::/0', 'fe80::1/128'),
);

/** A block with blocks left out: each strictly inside it. */
const blockWithExcept = fc
  .tuple(
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.integer({ min: 8, max: 24 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 8 })), { maxLength: 3 }),
  )
  .map(([a, p, inner]) => {
    const base = (a & (~0 << (32 - p))) >>> 0;
    const except = inner.map(([offset, extra]) => ipv4((base | (offset >>> p)) >>> 0, p + extra));
    return { cidr: ipv4(base, p), except: [...new Set(except)] };
  });

const ipBlock = fc.oneof(
  cidrText,
  blockWithExcept,
  cidrText.map((cidr) => ({ cidr })),
);

const name = fc.oneof(
  fc.constantFrom('prod', 'dev', 'staging', 'eu-west-1', '0'),
  fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/),
);
const key = fc.oneof(
  fc.constantFrom('corporate', 'orders', 'a', 'B', 'with.dot', 'with space', '0', '10', 'constructor', 'toString'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const labelKey = fc.constantFrom('app', 'k8s-app', 'app.kubernetes.io/name', 'dns.operator.openshift.io/daemonset-dns', 'tier');
const labelValue = fc.constantFrom('', 'kube-dns', 'default', 'coredns', 'v1.2');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const protocol = fc.constantFrom('TCP', 'UDP', 'SCTP');
const port = fc.integer({ min: 1, max: 65535 });
const portRange = fc
  .tuple(port, fc.integer({ min: 0, max: 100 }))
  .map(([p, n]) => ({ port: Math.min(p, 65535 - n), endPort: Math.min(p, 65535 - n) + n }));

/** Keys with `fc.option`-like absence: undefined values are left out of the mapping. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const dnsPortEntry = fc.oneof(
  fc.record({ port: fc.oneof(port, fc.constantFrom('dns', 'dns-tcp', 'metrics')), protocol }),
  fc.tuple(portRange, protocol).map(([r, p]) => ({ ...r, protocol: p })),
);

const dns = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc
    .record({
      namespace: maybe(fc.constantFrom('kube-system', 'openshift-dns', 'dns')),
      namespaceLabels: maybe(labels),
      pods: maybe(labels),
      ports: maybe(
        fc.oneof(
          port.map((p) => ({ port: p })),
          fc.array(dnsPortEntry, { minLength: 1, maxLength: 3 }).map((ports) => ({ ports })),
        ),
      ),
      nodeLocalCidrs: maybe(fc.array(ipBlock, { maxLength: 2 })),
    })
    .map(({ ports, ...rest }) => compact({ ...rest, ...(ports ?? {}) })),
);

const databasePortEntry = fc.oneof(
  fc.record({ port, protocol: maybe(protocol) }).map(compact),
  fc.tuple(portRange, maybe(protocol)).map(([r, p]) => compact({ ...r, protocol: p })),
);

const database = fc
  .record({
    address: fc.oneof(
      fc.array(ipBlock, { minLength: 1, maxLength: 3 }).map((cidrs) => ({ cidrs })),
      ipBlock.map((cidr) => ({ cidr })),
    ),
    ports: fc.oneof(
      port.map((p) => ({ port: p })),
      portRange,
      fc.array(databasePortEntry, { minLength: 1, maxLength: 3 }).map((ports) => ({ ports })),
    ),
    protocol: maybe(protocol),
  })
  .map(({ address, ports, protocol }) => compact({ ...address, ...ports, protocol }));

const domainName = fc.oneof(
  fc.constantFrom('api.stripe.com', '*.stripe.com', 'API.Stripe.com.', 'example.org', '*.eu.example.org'),
  fc
    .tuple(fc.boolean(), fc.array(fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,6}[a-z0-9])?$/), { minLength: 2, maxLength: 4 }))
    .map(([wild, parts]) => `${wild ? '*.' : ''}${parts.join('.')}`),
);

const nullish = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.constantFrom(undefined, null) });

/** Documents the schema accepts, nearly always (generated CIDRs may repeat, which is allowed). */
const validDocument = fc
  .record({
    name,
    dns,
    cidrs: nullish(fc.dictionary(key, ipBlock, { maxKeys: 4 })),
    databases: nullish(fc.dictionary(key, database, { maxKeys: 3 })),
    domains: nullish(fc.dictionary(key, fc.array(domainName, { minLength: 1, maxLength: 4 }), { maxKeys: 3 })),
  })
  .map(compact);

// ---- mutations ----------------------------------------------------------------------------

type Path = Array<string | number>;

/** Every place in a document: each mapping, list and value, by its path. */
function places(doc: unknown, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...places(v, [...path, i])));
  else if (typeof doc === 'object' && doc !== null) for (const [k, v] of Object.entries(doc)) out.push(...places(v, [...path, k]));
  return out;
}

function clone<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc ?? null)) as T;
}

function at(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, s) => (v as Record<string | number, unknown>)[s], doc);
}

/** Sets an own, enumerable key, `__proto__` included (as YAML and JSON readers do). */
function setOwn(o: object, k: string | number, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  65536,
  53,
  '53',
  '',
  'x',
  'Prod',
  'prod_1',
  '10.0.0.5',
  '10.0.0.5/8',
  '300.0.0.0/8',
  '10.0.0.0/8',
  'a..b',
  '*',
  'tcp',
  'UDP',
  'dns',
  [],
  ['10.0.0.0/8'],
  [{ port: 53, protocol: 'UDP' }],
  {},
  { cidr: '10.0.0.0/8' },
  { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] },
  { port: 53 },
  { port: 5432, endPort: 5400 },
  { 'bad key!': 'x' },
  { app: 'web' },
  { app: 5 },
  Array.from({ length: 26 }, (_, i) => `n${i}.example.com`),
];

/**
 * Keys to add to a mapping, each with a value that is valid somewhere: added where the key
 * belongs it makes a conflict (`port` beside `ports`, `cidr` beside `cidrs`), a second form,
 * or, under `cidrs` or `domains`, one more entry (`__proto__` and `constructor` included).
 */
const EXTRA_ENTRIES: Array<[string, unknown]> = [
  ['extra', 'x'],
  ['extras', {}],
  ['extras', null],
  ['__proto__', '10.0.0.0/8'],
  ['__proto__', ['api.stripe.com']],
  ['constructor', { cidr: '10.0.0.0/8' }],
  ['port', 53],
  ['ports', [{ port: 53, protocol: 'UDP' }]],
  ['ports', [{ port: 5432 }]],
  ['endPort', 60000],
  ['cidr', '10.0.0.0/8'],
  ['cidrs', ['10.0.0.0/8']],
  ['protocol', 'UDP'],
  ['namespace', 'kube-system'],
  ['namespaceLabels', { app: 'x' }],
  ['except', ['10.1.0.0/16']],
];

/**
 * A valid document with one place changed: a value replaced by another, a key added to a
 * mapping, a key removed, a list emptied.
 */
const mutatedDocument = fc
  .tuple(validDocument, fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(...HOSTILE_VALUES), fc.constantFrom(...EXTRA_ENTRIES))
  .map(([valid, which, how, value, [extraKey, extraValue]]) => {
    const doc = clone(valid) as Record<string, unknown>;
    const all = places(doc);
    const mappings = all.filter((p) => {
      const v = at(doc, p);
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    });
    const path = all[which % all.length];
    const here = at(doc, path);
    const parent = path.length > 0 ? (at(doc, path.slice(0, -1)) as Record<string | number, unknown>) : undefined;
    const last = path[path.length - 1];
    if (how === 0 && parent) setOwn(parent, last, clone(value));
    else if (how === 1 || how === 2) {
      const mapping = at(doc, mappings[which % mappings.length]) as object;
      setOwn(mapping, extraKey, clone(how === 1 ? extraValue : value));
    } else if (how === 3 && parent && !Array.isArray(parent)) delete parent[last];
    else if (how === 4 && Array.isArray(here)) here.length = 0;
    else if (parent) setOwn(parent, last, clone(value));
    else return value;
    return doc;
  });

/** A valid document with both forms of one setting: `port` and `ports` in dns or a database, `cidr` and `cidrs`. */
const conflictingDocument = fc
  .tuple(
    validDocument,
    fc.record({ namespace: fc.constant('kube-system') }),
    database,
    fc.constantFrom<Array<[string, unknown]>>(
      [
        ['port', 53],
        ['ports', [{ port: 53, protocol: 'UDP' }]],
      ],
      [
        ['cidr', '10.0.0.0/8'],
        ['cidrs', ['10.0.0.0/8']],
      ],
      [
        ['port', 5432],
        ['ports', [{ port: 5432 }]],
      ],
      [
        ['endPort', 5433],
        ['ports', [{ port: 5432 }]],
      ],
    ),
  )
  .map(([valid, plainDns, db, forms]) => {
    const doc = clone(valid) as { dns?: Record<string, unknown> | null; databases?: Record<string, Record<string, unknown>> | null };
    let where: Record<string, unknown>;
    if (forms[0][1] === 53) where = doc.dns = { ...plainDns, ...(doc.dns ?? {}) };
    else where = (doc.databases ??= {}).conflicting = clone(db);
    for (const [k, v] of forms) if (where[k] === undefined) where[k] = clone(v);
    return doc;
  });

describe('the plain path of environment documents', () => {
  test('answers every valid document exactly as the schema does', () => {
    let answered = 0;
    let accepted = 0;
    fc.assert(
      fc.property(validDocument, (doc) => {
        const r = expectAgreement(doc);
        if (r.schema) accepted++;
        if (r.plain) answered++;
        // a document of plain objects without extras is declined only when the schema refuses it
        expect(r.plain).toBe(r.schema);
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(900);
    expect(answered).toBe(accepted);
  });

  test('declines, or answers as the schema does, a valid document with one place changed', () => {
    let answered = 0;
    let declined = 0;
    fc.assert(
      fc.property(mutatedDocument, (doc) => {
        const r = expectAgreement(doc);
        if (r.plain) answered++;
        else declined++;
        expect(r.plain).toBe(r.schema);
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(200);
    expect(declined).toBeGreaterThan(700);
  });

  test('declines a document that gives both forms of one setting, which the schema refuses', () => {
    fc.assert(
      fc.property(conflictingDocument, (doc) => {
        expect(expectAgreement(doc)).toEqual({ plain: false, schema: false });
      }),
      { numRuns: 300 },
    );
  });

  test('answers documents as the YAML readers and JSON.parse make them, anchors and aliases included', () => {
    const yaml = 'name: dev\ncidrs:\n  a: &office 10.0.0.0/8\n  b: *office\ndatabases:\n  orders: {cidr: 10.1.0.0/16, port: 5432}\n';
    const json = JSON.stringify({ name: 'dev', dns: { port: 5353 }, domains: { stripe: ['api.stripe.com'] } });
    for (const [text, where] of [
      [yaml, 'dev.yaml'],
      [json, 'dev.json'],
    ]) {
      const doc = parseDataText(text, where);
      expect(plainEnvironment(doc)).toStrictEqual(viaSchema(doc, where));
    }
  });

  test('declines every document when an extras schema is given, and one with extras but no schema', () => {
    const extras = { safeParse: (value: unknown) => ({ success: true, data: value }) };
    expect(plainEnvironment({ name: 'dev' }, { extras })).toBeUndefined();
    expect(parseEnvironment({ name: 'dev', extras: { team: 'a' } }, 'dev.yaml', { extras }).extras).toEqual({ team: 'a' });
    expect(plainEnvironment({ name: 'dev', extras: { team: 'a' } })).toBeUndefined();
    expect(() => parseEnvironment({ name: 'dev', extras: { team: 'a' } }, 'dev.yaml')).toThrow(
      'dev.yaml: extras: extras is set but nothing checks it; pass a zod schema as { extras: z.object({...}) } when loading the environment, or remove the key',
    );
  });

  test('declines getters, holes and keys inherited from a changed Object.prototype, which the schema reads its own way', () => {
    let reads = 0;
    const counting = {
      name: 'dev',
      dns: {
        get port() {
          return 53 + reads++;
        },
      },
    };
    expect(plainEnvironment(counting)).toBeUndefined();
    const flipping = {
      name: 'dev',
      dns: {
        port: 53,
        get ports() {
          return reads++ === 0 ? undefined : [{ port: 5353, protocol: 'UDP' }];
        },
      },
    };
    expect(plainEnvironment(flipping)).toBeUndefined();
    // eslint-disable-next-line no-sparse-arrays -- a list with a hole
    expect(plainEnvironment({ name: 'dev', dns: { nodeLocalCidrs: ['169.254.20.10/32', , '169.254.20.11/32'] } })).toBeUndefined();
    const proto = Object.prototype as Record<string, unknown>;
    proto.port = 53;
    try {
      expect(plainEnvironment({ name: 'dev' })).toBeUndefined();
    } finally {
      delete proto.port;
    }
    expect(plainEnvironment({ name: 'dev' })).toBeDefined();
  });

  test('declines a mapping that is an instance of a class, which the schema refuses', () => {
    class Settings {
      public readonly namespace = 'kube-system';
    }
    const doc = { name: 'dev', dns: new Settings() };
    expect(plainEnvironment(doc)).toBeUndefined();
    expect(() => parseEnvironment(doc, 'dev.yaml')).toThrow(
      'dev.yaml: dns: expected a mapping, got an instance of Settings; write a plain mapping of keys to values (in YAML, with no tag such as !!set or !!omap)',
    );
  });
});
