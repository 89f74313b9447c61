/**
 * Ports as NetworkPolicy writes them: one protocol plus a number, a number range (`endPort`),
 * a container port name, or nothing (every port of the protocol).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports
 */
import { portsKnown, resolvePort, Workload } from './cluster';
import { ConnectionSet } from './connection-set';
import { NetpolError } from './errors';
import { portNameErrors } from './names';
import { refuse } from './private/args';
import { isProtocol, Protocol, PROTOCOLS } from './protocol';
import { Reach } from './reach';
import { addBrand, hasBrand } from './brand';

// Declared before the class: its static DNS ports are built while the class is defined.
const PORT_BRAND = Symbol.for('cdk8s-netpol.Port');

export { isProtocol, Protocol, PROTOCOLS } from './protocol';

/**
 * One entry of a rule's `ports` list. Immutable; build with the static factories.
 *
 * @example
 * Port.tcp(5432)              // TCP 5432
 * Port.tcpRange(32000, 32768) // TCP 32000-32768
 * Port.named('http')          // TCP http, resolved on the destination pod
 * Port.allUdp()               // every UDP port
 */
export class Port {
  /** Brand check that works across copies of the library. */
  public static isPort(x: unknown): x is Port {
    return hasBrand(x, PORT_BRAND);
  }

  /** A TCP port. */
  public static tcp(port: number): Port {
    return Port.of(Protocol.TCP, numberArg('Port.tcp', 'port', port));
  }

  /** A UDP port. */
  public static udp(port: number): Port {
    return Port.of(Protocol.UDP, numberArg('Port.udp', 'port', port));
  }

  /** An SCTP port. */
  public static sctp(port: number): Port {
    return Port.of(Protocol.SCTP, numberArg('Port.sctp', 'port', port));
  }

  /** A TCP port range, both ends included (renders `port` + `endPort`). */
  public static tcpRange(startPort: number, endPort: number): Port {
    return Port.of(Protocol.TCP, numberArg('Port.tcpRange', 'startPort', startPort), numberArg('Port.tcpRange', 'endPort', endPort));
  }

  /** A UDP port range, both ends included. */
  public static udpRange(startPort: number, endPort: number): Port {
    return Port.of(Protocol.UDP, numberArg('Port.udpRange', 'startPort', startPort), numberArg('Port.udpRange', 'endPort', endPort));
  }

  /** An SCTP port range, both ends included. */
  public static sctpRange(startPort: number, endPort: number): Port {
    return Port.of(Protocol.SCTP, numberArg('Port.sctpRange', 'startPort', startPort), numberArg('Port.sctpRange', 'endPort', endPort));
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return Port.of(Protocol.TCP);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return Port.of(Protocol.UDP);
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return Port.of(Protocol.SCTP);
  }

  /**
   * A named container port, resolved on the destination pod (for ingress and egress alike);
   * a pod without a port of that name and protocol is not reachable through this entry.
   * @param name an IANA service name such as `http` (1-15 characters, a-z, 0-9, '-')
   * @param protocol @default 'TCP'
   */
  public static named(name: string, protocol: Protocol = Protocol.TCP): Port {
    if (typeof name !== 'string') refuse('Port.named', 'name', "a container port name such as 'http'", name);
    return Port.of(protocol, name);
  }

  /**
   * Any port entry. Checks the API server's rules: protocol TCP/UDP/SCTP, number 1-65535,
   * `endPort` only with a numeric port and not below it, a valid port name.
   */
  public static of(protocol: Protocol, port?: number | string, endPort?: number): Port {
    if (typeof protocol !== 'string') refuse('Port.of', 'protocol', 'Protocol.TCP, Protocol.UDP or Protocol.SCTP', protocol);
    if (port !== undefined && typeof port !== 'number' && typeof port !== 'string') {
      refuse('Port.of', 'port', 'a port number, a container port name, or nothing for every port', port);
    }
    if (endPort !== undefined && typeof endPort !== 'number') refuse('Port.of', 'endPort', 'a port number or nothing', endPort);
    const issues: { code: string; path: string; message: string }[] = [];
    if (!isProtocol(protocol)) {
      issues.push({
        code: 'port.protocol',
        path: 'protocol',
        message: `protocol "${protocol}" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`,
      });
    }
    if (typeof port === 'number') {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        issues.push({
          code: 'port.range',
          path: 'port',
          message: `port ${port} is out of range; a port number is an integer from 1 to 65535`,
        });
      }
    } else if (typeof port === 'string') {
      const errs = portNameErrors(port);
      if (/^[0-9]+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) {
        issues.push({
          code: 'port.name',
          path: 'port',
          message: `port name "${port}" is all digits; a quoted number is read as a port name, so write the number ${Number(port)} without quotes`,
        });
      } else if (errs.length > 0) {
        issues.push({ code: 'port.name', path: 'port', message: `port name "${port}" is invalid: ${errs.join('; ')}` });
      }
    }
    if (endPort !== undefined) {
      if (typeof port !== 'number') {
        issues.push({
          code: 'port.endport-without-port',
          path: 'endPort',
          message:
            typeof port === 'string'
              ? `endPort ${endPort} cannot be used with the named port "${port}"; give a numeric port to start the range`
              : `endPort ${endPort} needs a numeric port to start the range`,
        });
      } else if (!Number.isInteger(endPort) || endPort < 1 || endPort > 65535) {
        issues.push({
          code: 'port.range',
          path: 'endPort',
          message: `endPort ${endPort} is out of range; a port number is an integer from 1 to 65535`,
        });
      } else if (endPort < port) {
        issues.push({
          code: 'port.endport-order',
          path: 'endPort',
          message: `endPort ${endPort} is below port ${port}; endPort must be greater than or equal to port`,
        });
      }
    }
    if (issues.length > 0) throw new NetpolError(issues);
    return new Port(protocol, port, endPort === port ? undefined : endPort);
  }

  /** DNS over UDP, port 53. */
  public static readonly DNS_UDP = Port.udp(53);
  /** DNS over TCP, port 53 (large answers, zone transfers). */
  public static readonly DNS_TCP = Port.tcp(53);

  private constructor(
    /** The protocol. */
    public readonly protocol: Protocol,
    /**
     * A number, a container port name, or undefined for every port.
     * TypeScript only: in C# a member named like its class renames the class; other languages
     * read `portNumber` and `portName`.
     * @jsii ignore
     */
    public readonly port?: number | string,
    /** Last port of a range (only with a numeric port). */
    public readonly endPort?: number,
  ) {}

  /** The port number (the first of a range), or undefined for a named port or every port. */
  public get portNumber(): number | undefined {
    return typeof this.port === 'number' ? this.port : undefined;
  }

  /** The container port name, or undefined for a number or every port. */
  public get portName(): string | undefined {
    return typeof this.port === 'string' ? this.port : undefined;
  }

  /** True if this entry names a container port. */
  public get isNamed(): boolean {
    return typeof this.port === 'string';
  }

  /** `TCP 5432`, `TCP 32000-32768`, `UDP dns`, `SCTP *`. */
  public toString(): string {
    if (this.port === undefined) return `${this.protocol} *`;
    if (this.endPort !== undefined) return `${this.protocol} ${this.port}-${this.endPort}`;
    return `${this.protocol} ${this.port}`;
  }

  /** True if both are the same entry: protocol, port and end port. */
  public isEqualTo(other: Port): boolean {
    return this.protocol === other.protocol && this.port === other.port && this.endPort === other.endPort;
  }

  /**
   * @deprecated use `isEqualTo`, which every language jsii targets can call
   * @jsii ignore
   */
  public equals(other: Port): boolean {
    return this.isEqualTo(other);
  }

  /** Stable order: protocol (TCP, UDP, SCTP), then all-ports first, numbers ascending, then names. */
  public static compare(a: Port, b: Port): number {
    const pa = PROTOCOLS.indexOf(a.protocol);
    const pb = PROTOCOLS.indexOf(b.protocol);
    if (pa !== pb) return pa - pb;
    const rank = (p: Port) => (p.port === undefined ? 0 : typeof p.port === 'number' ? 1 : 2);
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    if (typeof a.port === 'number' && typeof b.port === 'number') {
      return a.port - b.port || (a.endPort ?? a.port) - (b.endPort ?? b.port);
    }
    const sa = String(a.port ?? '');
    const sb = String(b.port ?? '');
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
}

// on the prototype: defined once for every instance instead of on each one
addBrand(Port.prototype, PORT_BRAND);

/** A number argument (its range is checked by `Port.of`, with the message about ports). */
function numberArg(call: string, field: string, value: unknown): number {
  if (typeof value !== 'number') refuse(call, field, 'a port number, an integer from 1 to 65535', value);
  return value;
}

/**
 * What one port entry allows toward a destination: every port of its protocol, a number, a
 * range, or a name resolved on the destination's container ports. Toward an address outside
 * the cluster (no destination) a name allows nothing; toward pods whose container ports are not
 * known it depends on the port they name so (`Reach.named`). Kept out of the `Port` class,
 * whose surface is the construct API's.
 */
export function portReach(port: Port, destination?: Workload): Reach {
  if (typeof port.port !== 'string') return Reach.of(portConnections(port));
  if (!destination) return Reach.none();
  if (!portsKnown(destination)) return Reach.named({ name: port.port, protocol: port.protocol });
  const n = resolvePort(destination, port.port, port.protocol);
  return n === undefined ? Reach.none() : Reach.of(ConnectionSet.port(port.protocol, n));
}

/** The numbered connections a port entry stands for; nothing for a named port (see `portReach`). */
export function portConnections(port: Port): ConnectionSet {
  if (port.port === undefined) return ConnectionSet.protocol(port.protocol);
  if (typeof port.port === 'string') return ConnectionSet.none();
  return ConnectionSet.range(port.protocol, port.port, port.endPort ?? port.port);
}
