/**
 * The schema of an environment document. Zod checks the shape (which keys, which types); every
 * value is then checked by the model (`IpBlock.of`, `Port.of`, `LabelSelector.of`, name rules),
 * so the rules and their messages live in one place. Internal: `Environment` is the public face.
 */
import { z } from 'zod';
import { IpBlock } from '../model/cidr';
import { DomainName } from '../model/domain-name';
import { describeValue } from '../model/describe';
import { Issue, NetpolError } from '../model/errors';
import { dns1123LabelErrors, toDnsLabel } from '../model/names';
import { Peer } from '../model/peer';
import { isProtocol, Port, Protocol } from '../model/port';
import { LabelSelector } from '../model/selector';
import { addIssue, expecting, PARSE_PARAMS, toIssues, viaModel } from './private/issues';
import { formatPath, isPlainObject } from './private/paths';
import {
  DATABASE_KEYS,
  DATABASE_PORT_KEYS,
  DNS_KEYS,
  DNS_PORT_KEYS,
  DOCUMENT_KEYS,
  dnsSettings,
  frozenList,
  IP_BLOCK_KEYS,
  MAX_DOMAINS,
  ParsedEnvironment,
  parsedEnvironment,
} from './private/document';
import type { ExtrasParseResult, IExtrasSchema } from './environment';
import { DnsSettings } from './settings';

export type { ParsedEnvironment } from './private/document';

const CIDR = 'a CIDR string such as "10.0.0.0/16"';

/** The shape of a mapping with exactly the keys of a list in `private/document.ts`, which the plain path checks too. */
type ShapeOf<K extends readonly string[]> = { readonly [P in K[number]]: z.ZodType };

const cidrText = () => expecting(z.string(), CIDR);

/** `10.0.0.0/16`, or `{ cidr: 10.0.0.0/16, except: [10.0.1.0/24] }`. */
const ipBlock = expecting(
  z.union([
    z.string().transform((s, ctx) =>
      viaModel(
        ctx,
        () => IpBlock.of(s),
        () => [],
      ),
    ),
    z
      .strictObject({
        cidr: cidrText(),
        except: expecting(z.array(cidrText()), 'a list of CIDR strings inside the cidr').optional(),
      } satisfies ShapeOf<typeof IP_BLOCK_KEYS>)
      .transform((b, ctx) => viaModel(ctx, () => IpBlock.of(b.cidr, b.except ?? []))),
  ]),
  `${CIDR}, or a mapping {cidr, except}`,
);

const portNumber = () => expecting(z.number(), 'a port number from 1 to 65535');

const protocolText = () => expecting(z.string(), '"TCP", "UDP" or "SCTP"');

/** Label key → value, each pair checked by `LabelSelector.of`. */
const labels = (what: string) =>
  expecting(z.record(z.string(), z.unknown()), `a mapping of label keys to values (${what})`).transform((m, ctx) => {
    for (const [k, v] of Object.entries(m))
      viaModel(
        ctx,
        () => LabelSelector.of({ [k]: v as string }),
        () => [k],
      );
    return Object.freeze({ ...m }) as Readonly<Record<string, string>>;
  });

/** Reports a protocol the model rejects at `path`; returns the protocol to go on with. */
function checkProtocol(
  ctx: z.core.$RefinementCtx<unknown>,
  protocol: string | undefined,
  fallback: Protocol,
  path: (string | number)[],
): Protocol {
  if (protocol === undefined) return fallback;
  if (isProtocol(protocol)) return protocol;
  viaModel(
    ctx,
    () => Port.of(protocol as Protocol),
    () => path,
  );
  return fallback;
}

const dnsPortEntry = z
  .strictObject({
    port: expecting(z.union([z.number(), z.string()]), 'a port number from 1 to 65535, or a port name such as "dns"'),
    endPort: portNumber().optional(),
    protocol: protocolText(),
  } satisfies ShapeOf<typeof DNS_PORT_KEYS>)
  .transform((p, ctx) => viaModel(ctx, () => Port.of(p.protocol as Protocol, p.port, p.endPort)));

const dnsSchema = expecting(
  z
    .strictObject({
      namespace: expecting(z.string(), 'a namespace name such as "kube-system"')
        .transform((ns, ctx) => {
          viaModel(
            ctx,
            () => Peer.namespace(ns),
            () => [],
          );
          return ns;
        })
        .optional(),
      namespaceLabels: labels('of the DNS namespace').optional(),
      pods: labels('of the DNS pods').optional(),
      port: portNumber()
        .transform((n, ctx) =>
          viaModel(
            ctx,
            () => [Port.udp(n), Port.tcp(n)],
            () => [],
          ),
        )
        .optional(),
      ports: expecting(z.array(dnsPortEntry).min(1), 'a list of one or more {port, protocol} entries').optional(),
      nodeLocalCidrs: expecting(z.array(ipBlock), 'a list of CIDR strings such as ["169.254.20.10/32"]').optional(),
    } satisfies ShapeOf<typeof DNS_KEYS>)
    .superRefine((d, ctx) => {
      if (d.port !== undefined && d.ports !== undefined) {
        addIssue(
          ctx,
          ['ports'],
          'env.conflict',
          'give either port (UDP and TCP on one port) or ports (a list of {port, protocol}), not both',
        );
      }
    })
    .transform((d): DnsSettings =>
      dnsSettings({
        namespace: d.namespace,
        namespaceLabels: d.namespaceLabels,
        pods: d.pods,
        ports: d.ports ?? d.port,
        nodeLocalCidrs: d.nodeLocalCidrs,
      }),
    ),
  'the DNS settings: a mapping with namespace, namespaceLabels, pods, port or ports, nodeLocalCidrs',
);

/** One entry of a database's `ports`; its protocol, when absent, comes from the database. */
const databasePortEntry = z
  .strictObject({
    port: portNumber(),
    endPort: portNumber().optional(),
    protocol: protocolText().optional(),
  } satisfies ShapeOf<typeof DATABASE_PORT_KEYS>)
  .superRefine((p, ctx) => {
    const protocol = checkProtocol(ctx, p.protocol, Protocol.TCP, ['protocol']);
    viaModel(ctx, () => Port.of(protocol, p.port, p.endPort));
  });

const databaseSchema = expecting(
  z
    .strictObject({
      cidrs: expecting(z.array(ipBlock).min(1), 'a list of one or more CIDRs such as ["10.0.0.0/24"]').optional(),
      cidr: ipBlock.optional(),
      port: portNumber().optional(),
      endPort: portNumber().optional(),
      ports: expecting(z.array(databasePortEntry).min(1), 'a list of one or more {port, endPort, protocol} entries').optional(),
      protocol: protocolText().optional(),
    } satisfies ShapeOf<typeof DATABASE_KEYS>)
    .superRefine((d, ctx) => {
      if (d.cidr !== undefined && d.cidrs !== undefined) {
        addIssue(ctx, ['cidr'], 'env.conflict', 'give either cidr (one block) or cidrs (a list), not both; move it into cidrs');
      } else if (d.cidr === undefined && d.cidrs === undefined) {
        addIssue(
          ctx,
          [],
          'env.database-address',
          'no address given; add cidrs: [<CIDR>, ...] (or cidr: <CIDR> for one block), e.g. cidrs: [10.0.0.0/24]',
        );
      }
      const protocol = checkProtocol(ctx, d.protocol, Protocol.TCP, ['protocol']);
      if (d.ports !== undefined) {
        if (d.port !== undefined || d.endPort !== undefined) {
          addIssue(
            ctx,
            [d.port !== undefined ? 'port' : 'endPort'],
            'env.conflict',
            'give either port (with an optional endPort) or ports (a list), not both',
          );
        }
      } else if (d.port !== undefined || d.endPort !== undefined) {
        viaModel(ctx, () => Port.of(protocol, d.port, d.endPort));
      } else {
        addIssue(
          ctx,
          [],
          'env.database-port',
          'no port given; add port: <number> (e.g. port: 5432), or ports: [{port, protocol}, ...] for several',
        );
      }
    })
    .transform((d) => {
      const protocol: Protocol = isProtocol(d.protocol) ? d.protocol : Protocol.TCP;
      return {
        cidrs: frozenList(d.cidrs ?? [d.cidr!]),
        ports: frozenList(
          d.ports
            ? d.ports.map((p) => Port.of((p.protocol as Protocol | undefined) ?? protocol, p.port, p.endPort))
            : [Port.of(protocol, d.port, d.endPort)],
        ),
      };
    }),
  'a database: a mapping with cidrs (or cidr) and port (or ports)',
);

/** `[api.stripe.com, "*.stripe.com"]`: 1 to 25 names, each checked by `DomainName.of` (the ClusterNetworkPolicy CRD's rules). */
const domainList = expecting(
  z
    .array(
      expecting(z.string(), 'a domain name such as "api.example.com" or "*.example.com"').transform((d, ctx) =>
        viaModel(
          ctx,
          () => DomainName.of(d),
          () => [],
        ),
      ),
    )
    .min(1)
    .max(MAX_DOMAINS)
    .transform((names) => Object.freeze(names)),
  'a list of 1 to 25 domain names such as [api.example.com, "*.example.com"]',
);

const NAME_DESCRIPTION = 'the environment\'s name, a safe folder name such as "prod"';

// Registered on the outermost schema: `.superRefine` returns a new schema.
const nameSchema = expecting(
  z.string().superRefine((name, ctx) => {
    const errs = dns1123LabelErrors(name);
    if (errs.length === 0) return;
    const fix = toDnsLabel(name);
    addIssue(
      ctx,
      [],
      'env.name',
      `name "${name}" is not a safe folder name (it becomes dist/<name>/): it ${errs.join(' and ')}; ${fix ? `write "${fix}"` : 'write a name such as "prod"'}`,
    );
  }),
  NAME_DESCRIPTION,
);

/** The document, as zod checks it. */
const documentSchema = expecting(
  z.strictObject({
    name: nameSchema,
    dns: dnsSchema.nullish(),
    cidrs: expecting(z.record(z.string(), ipBlock), 'a mapping of names to CIDRs').nullish(),
    databases: expecting(z.record(z.string(), databaseSchema), 'a mapping of database names to {cidrs, port}').nullish(),
    domains: expecting(z.record(z.string(), domainList), 'a mapping of names to lists of domain names').nullish(),
    extras: z.unknown().optional(),
  } satisfies ShapeOf<typeof DOCUMENT_KEYS>),
  'an environment: a mapping with name, and optionally dns, cidrs, databases, domains and extras',
);

/** Options of `parseEnvironment`. */
export interface ParseOptions {
  /** Schema for `extras`. */
  readonly extras?: IExtrasSchema;
  /** Rewrites each issue before it is thrown (loaders add where a value came from). */
  readonly annotate?: (issue: Issue) => Issue;
}

/**
 * Checks a document and returns its values. Throws one `NetpolError` located at `source` that
 * carries every problem found.
 */
export function parseEnvironment(data: unknown, source: string, options: ParseOptions = {}): ParsedEnvironment {
  const annotate = options.annotate ?? ((i: Issue) => i);
  const fail = (issues: Issue[]): never => {
    throw new NetpolError(issues.map(annotate), source);
  };
  if (data === undefined || data === null) {
    fail([
      { code: 'env.empty', path: '', message: 'the environment is empty; it needs at least "name: <environment>", e.g. "name: prod"' },
    ]);
  }
  const issues: Issue[] = refusedValues(data);
  if (issues.length > 0) fail(issues);
  const result = documentSchema.safeParse(data, PARSE_PARAMS);
  if (!result.success) for (const i of toIssues(result.error.issues, { schema: documentSchema, raw: data, prefix: [] })) issues.push(i);

  const rawExtras = isPlainObject(data) ? data.extras : undefined;
  let extras: unknown = undefined;
  if (options.extras) {
    for (const i of checkExtras(options.extras, rawExtras, (v) => (extras = v))) issues.push(i);
  } else if (isPlainObject(data) && Object.prototype.hasOwnProperty.call(data, 'extras')) {
    issues.push({
      code: 'env.extras-without-schema',
      path: 'extras',
      message:
        'extras is set but nothing checks it; pass a zod schema as { extras: z.object({...}) } when loading the environment, or remove the key',
    });
  }
  if (issues.length > 0 || !result.success) fail(issues);
  return parsedEnvironment(result.data!, extras);
}

/**
 * Values the schema would read wrongly, refused before it runs, wherever they appear:
 * - `__proto__` as a key (YAML and JSON both allow it) would be dropped on the way into a
 *   JavaScript object, silently: a CIDR gone, or a selector's label gone, which selects more pods.
 * - A mapping that is no plain object (a `Set` or `Map` from a YAML `!!set` or `!!omap` tag, a
 *   `Date` or any class instance passed to `Environment.fromObject`) would read as a mapping with
 *   no keys: `dns` with every default, say. Under `extras` it is the extras schema's to judge.
 */
function refusedValues(data: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (isPlainObject(value)) {
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null && path[0] !== 'extras') {
        issues.push({
          code: 'env.type',
          path: formatPath(path),
          message: `expected a mapping, got ${describeValue(value)}; write a plain mapping of keys to values (in YAML, with no tag such as !!set or !!omap)`,
        });
        continue;
      }
      for (const k of Object.keys(value)) {
        if (k === '__proto__') {
          issues.push({
            code: 'env.reserved-key',
            path: formatPath([...path, k]),
            message: '"__proto__" cannot be a key here: JavaScript reserves it, and the entry would be lost; rename it',
          });
        } else stack.push({ value: value[k], path: [...path, k] });
      }
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Runs the extras schema. A zod schema's issues get the project's wording (what was expected,
 * what was found); any other schema's issues keep their own messages.
 */
function checkExtras(schema: IExtrasSchema, raw: unknown, set: (value: unknown) => void): Issue[] {
  const zod = schema instanceof z.ZodType;
  let r: ExtrasParseResult;
  try {
    r = zod ? (schema as z.ZodType).safeParse(raw, PARSE_PARAMS) : schema.safeParse(raw);
  } catch (e) {
    return [
      {
        code: 'env.extras-schema',
        path: 'extras',
        message: `the extras schema failed: ${e instanceof Error ? e.message : String(e)}; pass a schema with safeParse(value), such as z.object({...})`,
      },
    ];
  }
  if (r.success) {
    set(r.data);
    return [];
  }
  const found = r.error?.issues ?? [];
  if (zod) return toIssues(found, { schema, raw, prefix: ['extras'] });
  return found.map((i) => ({
    code: 'env.extras',
    path: formatPath(['extras', ...i.path.filter((s): s is string | number => typeof s === 'string' || typeof s === 'number')]),
    message: i.message,
  }));
}
