/**
 * The fast path of checking an environment document: plain code for the documents that are
 * plainly valid, so that synthesizing with environment files loads no schema library. It
 * answers exactly what the schema (`schema.ts`, with zod) answers for the same document, or
 * declines (`undefined`) and the schema checks the document and words every problem.
 *
 * It declines at the first thing that is not plainly valid: a key the schema does not know, a
 * value of the wrong type, a list empty where the schema wants an entry, two keys that
 * conflict, a required key missing, a value the model refuses (`IpBlock.of`, `Port.of`,
 * `LabelSelector.of`, `DomainName.of`, the name rules), a `__proto__` key anywhere, a mapping
 * that is not a plain object, and `extras` or an extras schema: `extras` is checked by the
 * caller's schema, whose problems only the schema's path words, and that path would run the
 * caller's schema a second time whenever it declined. Values are checked by the model here
 * too, so that a value is valid on one path exactly when it is on the other.
 * Declining costs the time of the fast attempt; it never changes an answer.
 */
import { IpBlock } from '../../model/cidr';
import { DomainName } from '../../model/domain-name';
import { dns1123LabelErrors } from '../../model/names';
import { Peer } from '../../model/peer';
import { isProtocol, Port, Protocol } from '../../model/port';
import { LabelSelector } from '../../model/selector';
import type { ParseOptions } from '../schema';
import {
  CheckedDatabase,
  CheckedDocument,
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
} from './document';
import { DnsSettings } from '../settings';

/** Thrown to leave the document to the schema. */
class Declined extends Error {}

/**
 * The environment of `data` when it is plainly valid (the same values, classes, frozen objects
 * and order as the schema's `parseEnvironment` gives); undefined when the schema must decide.
 */
export function plainEnvironment(data: unknown, options: ParseOptions = {}): ParsedEnvironment | undefined {
  if (options.extras) return undefined;
  try {
    return parsedEnvironment(checkedDocument(data), undefined);
  } catch {
    // a shape the schema words, or a value the model refuses: the schema says which
    return undefined;
  }
}

function decline(): never {
  throw new Declined();
}

function checkedDocument(data: unknown): CheckedDocument {
  const doc = mapping(data, DOCUMENT_KEYS);
  if (has(doc, 'extras')) decline();
  const name = doc.name;
  if (typeof name !== 'string' || dns1123LabelErrors(name).length > 0) decline();
  return {
    name,
    dns: doc.dns == null ? undefined : dns(doc.dns),
    cidrs: doc.cidrs == null ? undefined : record(doc.cidrs, ipBlock),
    databases: doc.databases == null ? undefined : record(doc.databases, database),
    domains: doc.domains == null ? undefined : record(doc.domains, domainList),
  };
}

function dns(value: unknown): DnsSettings {
  const d = mapping(value, DNS_KEYS);
  if (d.port !== undefined && d.ports !== undefined) decline();
  let namespace: string | undefined;
  if (d.namespace !== undefined) {
    namespace = text(d.namespace);
    Peer.namespace(namespace);
  }
  return dnsSettings({
    namespace,
    namespaceLabels: d.namespaceLabels === undefined ? undefined : labels(d.namespaceLabels),
    pods: d.pods === undefined ? undefined : labels(d.pods),
    ports:
      d.ports !== undefined
        ? list(d.ports, 1, dnsPort)
        : d.port !== undefined
          ? [Port.udp(portNumber(d.port)), Port.tcp(portNumber(d.port))]
          : undefined,
    nodeLocalCidrs: d.nodeLocalCidrs === undefined ? undefined : list(d.nodeLocalCidrs, 0, ipBlock),
  });
}

function dnsPort(value: unknown): Port {
  const p = mapping(value, DNS_PORT_KEYS);
  const port = typeof p.port === 'string' ? p.port : portNumber(p.port);
  return Port.of(text(p.protocol) as Protocol, port, optionalPortNumber(p.endPort));
}

function database(value: unknown): CheckedDatabase {
  const d = mapping(value, DATABASE_KEYS);
  if ((d.cidr === undefined) === (d.cidrs === undefined)) decline();
  const cidrs = d.cidrs !== undefined ? list(d.cidrs, 1, ipBlock) : [ipBlock(d.cidr)];
  const protocol = d.protocol === undefined ? Protocol.TCP : protocolText(d.protocol);
  const port = optionalPortNumber(d.port);
  const endPort = optionalPortNumber(d.endPort);
  let ports: Port[];
  if (d.ports !== undefined) {
    if (port !== undefined || endPort !== undefined) decline();
    ports = list(d.ports, 1, (entry) => databasePort(entry, protocol));
  } else {
    if (port === undefined && endPort === undefined) decline();
    ports = [Port.of(protocol, port, endPort)];
  }
  return { cidrs: frozenList(cidrs), ports: frozenList(ports) };
}

/** One entry of a database's `ports`: the schema checks it with TCP when it names no protocol, and builds it with the database's. */
function databasePort(value: unknown, protocol: Protocol): Port {
  const p = mapping(value, DATABASE_PORT_KEYS);
  const own = p.protocol === undefined ? undefined : protocolText(p.protocol);
  const port = portNumber(p.port);
  const endPort = optionalPortNumber(p.endPort);
  Port.of(own ?? Protocol.TCP, port, endPort);
  return Port.of(own ?? protocol, port, endPort);
}

function domainList(value: unknown): readonly DomainName[] {
  const names = list(value, 1, (d) => DomainName.of(text(d)));
  if (names.length > MAX_DOMAINS) decline();
  return Object.freeze(names);
}

/** `10.0.0.0/16`, or `{ cidr: 10.0.0.0/16, except: [10.0.1.0/24] }`. */
function ipBlock(value: unknown): IpBlock {
  if (typeof value === 'string') return IpBlock.of(value);
  const b = mapping(value, IP_BLOCK_KEYS);
  return IpBlock.of(text(b.cidr), b.except === undefined ? [] : list(b.except, 0, text));
}

/** Label key → value, as written, each pair checked by `LabelSelector.of`. Frozen. */
function labels(value: unknown): Readonly<Record<string, string>> {
  const m = plainObject(value);
  for (const k of Object.keys(m)) text(m[k]);
  LabelSelector.of(m as Record<string, string>);
  return Object.freeze({ ...(m as Record<string, string>) });
}

function protocolText(value: unknown): Protocol {
  const p = text(value);
  return isProtocol(p) ? p : decline();
}

function portNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : decline();
}

function optionalPortNumber(value: unknown): number | undefined {
  return value === undefined ? undefined : portNumber(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : decline();
}

function has(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/**
 * An object made by `{}`, `Object.create(null)` or a YAML or JSON reader, whose own keys are all
 * enumerable strings holding values (no getters, whose answer could change from one read to the
 * next), none of them `__proto__`, with no key inherited from a changed `Object.prototype` (the
 * schema would see it); not a list, not an instance of a class.
 */
function plainObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) decline();
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) decline();
  const keys = Reflect.ownKeys(value);
  const names = Object.keys(value);
  if (keys.length !== names.length || names.includes('__proto__')) decline();
  for (const k of names) if (!holdsValue(value, k)) decline();
  for (const k in value) if (!has(value, k)) decline();
  return value as Record<string, unknown>;
}

/** True when `key` is an own property of `o` that holds a value (not a getter or setter). */
function holdsValue(o: object, key: string | number): boolean {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d !== undefined && 'value' in d;
}

/** A plain object with keys from `allowed` only. */
function mapping<K extends string>(value: unknown, allowed: readonly K[]): Partial<Record<K, unknown>> {
  const m = plainObject(value);
  for (const k of Object.keys(m)) if (!(allowed as readonly string[]).includes(k)) decline();
  return m as Partial<Record<K, unknown>>;
}

/** Each value of a plain object through `check`, keyed as written. */
function record<T>(value: unknown, check: (v: unknown) => T): Record<string, T> {
  const m = plainObject(value);
  const out: Record<string, T> = {};
  for (const k of Object.keys(m)) out[k] = check(m[k]);
  return out;
}

/** Each entry of a list of at least `min` entries through `check`. */
function list<T>(value: unknown, min: number, check: (v: unknown) => T): T[] {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype || value.length < min) decline();
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    // a hole or a getter: the schema reads it as it reads it
    if (!holdsValue(value, i)) decline();
    out.push(check(value[i]));
  }
  return out;
}
