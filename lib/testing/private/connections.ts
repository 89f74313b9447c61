/**
 * Connections as flow statements write them: `TCP 80,443`, `UDP 53, TCP 53`,
 * `TCP 32000-32768`, `TCP *` (every TCP port), `All`, container port names (`TCP metrics`, the
 * port the destination names so, whichever number it is), and a condition (`TCP 8080 if source
 * IP in 10.0.0.0/8`) — and the port of a single query (`5432`, `'53/UDP'`, a `Port`).
 */
import { Condition } from '../../model/condition';
import { ConnectionSet, PortRange } from '../../model/connection-set';
import { NetpolError } from '../../model/errors';
import { portNameErrors } from '../../model/names';
import { Port, Protocol, PROTOCOLS } from '../../model/port';
import { Dependency, PortName, Reach } from '../../model/reach';

/**
 * Reads a list of connections, with an optional condition after `if`. Protocols are TCP, UDP
 * and SCTP (any case); each is followed by its ports and ranges (`80,443`, `32000-32768`),
 * container port names (`metrics`; `metrics(8000-8999)` when it must lie in a range;
 * `metrics=http` for one port with both names), `*` or nothing for all of its ports. `All` (or
 * `All Connections`) is every port of every protocol. The condition is `Condition.parse`'s
 * (`source IP in 10.0.0.0/8`, `destination namespace matches team=a`, joined by `and`). Throws
 * `NetpolError` saying what is wrong.
 *
 * @example
 * parseConnections('TCP 443,metrics').toString(); // 'TCP 443; TCP metrics'
 */
export function parseConnections(text: string): Reach {
  const at = text.search(/\s+if\s+/i);
  const condition = at >= 0 ? parseCondition(text, text.slice(at).replace(/^\s+if\s+/i, '')) : Condition.ALWAYS;
  const head = at >= 0 ? text.slice(0, at) : text;
  const tokens = head.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw syntax(text, 'it is empty');
  if (/^all$/i.test(tokens[0]) && (tokens.length === 1 || (tokens.length === 2 && /^connections$/i.test(tokens[1]))))
    return Reach.all().when(condition);
  const ranges: Record<Protocol, PortRange[]> = { [Protocol.TCP]: [], [Protocol.UDP]: [], [Protocol.SCTP]: [] };
  const named: Dependency[] = [];
  let protocol: Protocol | undefined;
  let bare = false;
  const closeProtocol = () => {
    if (protocol && bare) ranges[protocol].push([1, 65535]);
  };
  for (const t of tokens) {
    const upper = t.toUpperCase();
    if ((PROTOCOLS as readonly string[]).includes(upper)) {
      closeProtocol();
      protocol = upper as Protocol;
      bare = true;
      continue;
    }
    if (!protocol) throw syntax(text, `"${t}" comes before any protocol; start with TCP, UDP or SCTP, e.g. "TCP ${t}"`);
    bare = false;
    if (t === '*') {
      ranges[protocol].push([1, 65535]);
      continue;
    }
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(t);
    if (!m) {
      named.push(portNameItem(text, t, protocol));
      continue;
    }
    const [a, b] = bounds(text, t, m);
    ranges[protocol].push([a, b]);
  }
  closeProtocol();
  return Reach.build(ConnectionSet.fromRanges(ranges), named).when(condition);
}

/** `metrics`, `metrics=http`, `metrics(8000-8999)`: one port that the destination names so. */
function portNameItem(text: string, item: string, protocol: Protocol): Dependency {
  const m = /^([^()]+)(?:\(([^)]*)\))?$/.exec(item);
  const names = (m?.[1] ?? item).split('=');
  for (const name of names) {
    if (!/[a-z]/.test(name) || portNameErrors(name).length > 0) {
      throw syntax(
        text,
        `"${item}" is neither a protocol, a port nor a container port name; write ports as numbers or ` +
          `ranges ("TCP 80,443", "TCP 32000-32768") or a port name ("TCP metrics")`,
      );
    }
  }
  let within = ConnectionSet.protocol(protocol);
  if (m?.[2] !== undefined) {
    const parts = m[2].split(';').map((p) => p.trim());
    within = ConnectionSet.none();
    for (const p of parts) {
      const r = /^([0-9]+)(?:-([0-9]+))?$/.exec(p);
      if (!r)
        throw syntax(text, `"${p}" in "${item}" is not a port or range; write the range the named port lies in, e.g. "metrics(8000-8999)"`);
      const [a, b] = bounds(text, p, r);
      within = within.union(ConnectionSet.range(protocol, a, b));
    }
  }
  return { ports: within, portNames: names.map((name): PortName => ({ name, protocol })), condition: Condition.ALWAYS };
}

function bounds(text: string, token: string, m: RegExpExecArray): [number, number] {
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  for (const p of [a, b]) {
    if (p < 1 || p > 65535) throw syntax(text, `port ${p} is out of range; a port number is an integer from 1 to 65535`);
  }
  if (b < a) throw syntax(text, `the range ${token} is empty; write the lower port first`);
  return [a, b];
}

function parseCondition(text: string, condition: string): Condition {
  try {
    return Condition.parse(condition);
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    throw syntax(text, e.issues[0].message);
  }
}

function syntax(text: string, why: string): NetpolError {
  return NetpolError.ofValue('flow.connections', `"${text}" is not a list of connections: ${why}`);
}

/**
 * `All`, or each protocol with ports in the order TCP, UDP, SCTP: `TCP 53, UDP 53`,
 * `TCP 5978,32000-32768`, `TCP *` for every TCP port; `nothing` when empty.
 */
export function formatConnections(set: ConnectionSet): string {
  if (set.isAll) return 'All';
  if (set.isEmpty) return 'nothing';
  return PROTOCOLS.filter((p) => set.ranges(p).length > 0)
    .map((p) => `${p} ${portsText(set, p)}`)
    .join(', ');
}

/**
 * A three-valued set as flow statements: the connections allowed for sure with the named ports
 * allowed on no other condition (`TCP 443,metrics`), then one text per condition
 * (`TCP 8080 if source IP in 10.0.0.0/8`), each of which `parseConnections` reads back to its
 * part of the set. Empty for the empty set.
 */
export function formatReach(reach: Reach): string[] {
  const byCondition = new Map<string, { condition: Condition; set: ConnectionSet; names: Dependency[] }>();
  const part = (condition: Condition) => {
    let p = byCondition.get(condition.key);
    if (!p) byCondition.set(condition.key, (p = { condition, set: ConnectionSet.none(), names: [] }));
    return p;
  };
  if (!reach.allowed.isEmpty) part(Condition.ALWAYS).set = reach.allowed;
  for (const d of reach.depends) {
    const p = part(d.condition);
    if (d.portNames.length === 0) p.set = p.set.union(d.ports);
    else p.names.push(d);
  }
  return [...byCondition.values()].map(({ condition, set, names }) => {
    const text = set.isAll && names.length === 0 ? 'All' : partText(set, names);
    return condition.isAlways ? text : `${text} if ${condition}`;
  });
}

/** `TCP 80,443,metrics, UDP dns`: per protocol, the numbers and ranges, then the names. */
function partText(set: ConnectionSet, names: readonly Dependency[]): string {
  return PROTOCOLS.map((p) => {
    const items: string[] = set.ranges(p).length > 0 ? [portsText(set, p)] : [];
    for (const d of names) {
      if (d.portNames[0].protocol !== p) continue;
      const within = d.ports.equals(ConnectionSet.protocol(p))
        ? ''
        : `(${d.ports
            .ranges(p)
            .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
            .join(';')})`;
      items.push(`${d.portNames.map((n) => n.name).join('=')}${within}`);
    }
    return items.length > 0 ? `${p} ${items.join(',')}` : '';
  })
    .filter((t) => t !== '')
    .join(', ');
}

function portsText(set: ConnectionSet, p: Protocol): string {
  return set.allowsAllOf(p)
    ? '*'
    : set
        .ranges(p)
        .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
        .join(',');
}

/** The port of a query: a number (TCP), `'5432'`, `'5432/TCP'`, `'53/udp'`, `'32000-32768/TCP'`, or a `Port`. */
export type PortLike = number | string | Port;

/**
 * The connections a port of a query stands for: numbers and ranges, or, for a named port
 * (`Port.named('metrics')`), the port the destination names so. Throws `NetpolError` for text
 * that is not a port.
 */
export function connectionsOfPort(port: PortLike): Reach {
  if (Port.isPort(port)) {
    if (typeof port.port === 'string') return Reach.named({ name: port.port, protocol: port.protocol });
    if (port.port === undefined) return Reach.of(ConnectionSet.protocol(port.protocol));
    return Reach.of(ConnectionSet.range(port.protocol, port.port, port.endPort ?? port.port));
  }
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw NetpolError.of('flow.port', 'port', `port ${port} is out of range; a port number is an integer from 1 to 65535`);
    }
    return Reach.of(ConnectionSet.port(Protocol.TCP, port));
  }
  const m = typeof port === 'string' ? /^\s*([0-9]+)(?:-([0-9]+))?(?:\/([A-Za-z]+))?\s*$/.exec(port) : null;
  const protocol = m?.[3]?.toUpperCase() ?? Protocol.TCP;
  if (!m || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw NetpolError.of(
      'flow.port',
      'port',
      `port ${JSON.stringify(port)} is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP", Port.tcp(5432) or Port.named('metrics')`,
    );
  }
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  for (const p of [a, b]) {
    if (p < 1 || p > 65535)
      throw NetpolError.of('flow.port', 'port', `port ${p} in "${port}" is out of range; a port number is an integer from 1 to 65535`);
  }
  if (b < a) throw NetpolError.of('flow.port', 'port', `the range ${m[1]}-${m[2]} in "${port}" is empty; write the lower port first`);
  return Reach.of(ConnectionSet.range(protocol as Protocol, a, b));
}

/** The first (protocol, port) of a non-empty set, in the order TCP, UDP, SCTP. */
export function firstPort(set: ConnectionSet): { protocol: Protocol; port: number } {
  for (const p of PROTOCOLS) {
    const r = set.ranges(p);
    if (r.length > 0) return { protocol: p, port: r[0][0] };
  }
  throw new Error('firstPort of an empty set');
}
