/**
 * Connections as flow statements write them: `TCP 80,443`, `UDP 53, TCP 53`,
 * `TCP 32000-32768`, `TCP *` (every TCP port), `All` — and the port of a single query
 * (`5432`, `'53/UDP'`, a `Port`).
 */
import { ConnectionSet, PortRange } from '../../analysis/connection-set';
import { NetpolError } from '../../model/errors';
import { Port, Protocol, PROTOCOLS } from '../../model/port';

/**
 * Reads a list of connections. Protocols are TCP, UDP and SCTP (any case); each is followed by
 * its ports and ranges (`80,443`, `32000-32768`), `*` or nothing for all of its ports. `All`
 * (or `All Connections`) is every port of every protocol. Throws `NetpolError` saying what is
 * wrong.
 */
export function parseConnections(text: string): ConnectionSet {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw syntax(text, 'it is empty');
  if (/^all$/i.test(tokens[0]) && (tokens.length === 1 || (tokens.length === 2 && /^connections$/i.test(tokens[1]))))
    return ConnectionSet.all();
  const ranges: Record<Protocol, PortRange[]> = { TCP: [], UDP: [], SCTP: [] };
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
    if (!m)
      throw syntax(
        text,
        `"${t}" is neither a protocol nor a port; write ports as numbers or ranges, e.g. "TCP 80,443" or "TCP 32000-32768"`,
      );
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (const p of [a, b]) {
      if (p < 1 || p > 65535) throw syntax(text, `port ${p} is out of range; a port number is an integer from 1 to 65535`);
    }
    if (b < a) throw syntax(text, `the range ${t} is empty; write the lower port first`);
    ranges[protocol].push([a, b]);
  }
  closeProtocol();
  return ConnectionSet.fromRanges(ranges);
}

function syntax(text: string, why: string): NetpolError {
  return NetpolError.of('flow.connections', '', `"${text}" is not a list of connections: ${why}`);
}

/**
 * `All`, or each protocol with ports in the order TCP, UDP, SCTP: `TCP 53, UDP 53`,
 * `TCP 5978,32000-32768`, `TCP *` for every TCP port; `nothing` when empty.
 */
export function formatConnections(set: ConnectionSet): string {
  if (set.isAll) return 'All';
  if (set.isEmpty) return 'nothing';
  return PROTOCOLS.filter((p) => set.ranges(p).length > 0)
    .map((p) =>
      set.allowsAllOf(p)
        ? `${p} *`
        : `${p} ${set
            .ranges(p)
            .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
            .join(',')}`,
    )
    .join(', ');
}

/** The port of a query: a number (TCP), `'5432'`, `'5432/TCP'`, `'53/udp'`, `'32000-32768/TCP'`, or a `Port`. */
export type PortLike = number | string | Port;

/** The connections a port of a query stands for. Throws `NetpolError` for a named port or bad text. */
export function connectionsOfPort(port: PortLike): ConnectionSet {
  if (Port.isPort(port)) {
    if (typeof port.port === 'string') {
      throw NetpolError.of(
        'flow.port',
        'port',
        `the named port "${port}" depends on the destination pod's container ports, which flow assertions do not know; give the port number`,
      );
    }
    if (port.port === undefined) return ConnectionSet.protocol(port.protocol);
    return ConnectionSet.range(port.protocol, port.port, port.endPort ?? port.port);
  }
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw NetpolError.of('flow.port', 'port', `port ${port} is out of range; a port number is an integer from 1 to 65535`);
    }
    return ConnectionSet.port(Protocol.TCP, port);
  }
  const m = typeof port === 'string' ? /^\s*([0-9]+)(?:-([0-9]+))?(?:\/([A-Za-z]+))?\s*$/.exec(port) : null;
  const protocol = m?.[3]?.toUpperCase() ?? 'TCP';
  if (!m || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw NetpolError.of(
      'flow.port',
      'port',
      `port ${JSON.stringify(port)} is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP" or Port.tcp(5432)`,
    );
  }
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  for (const p of [a, b]) {
    if (p < 1 || p > 65535)
      throw NetpolError.of('flow.port', 'port', `port ${p} in "${port}" is out of range; a port number is an integer from 1 to 65535`);
  }
  if (b < a) throw NetpolError.of('flow.port', 'port', `the range ${m[1]}-${m[2]} in "${port}" is empty; write the lower port first`);
  return ConnectionSet.range(protocol as Protocol, a, b);
}

/** The first (protocol, port) of a non-empty set, in the order TCP, UDP, SCTP. */
export function firstPort(set: ConnectionSet): { protocol: Protocol; port: number } {
  for (const p of PROTOCOLS) {
    const r = set.ranges(p);
    if (r.length > 0) return { protocol: p, port: r[0][0] };
  }
  throw new Error('firstPort of an empty set');
}
