/**
 * The protocols of NetworkPolicy ports, in a module of their own so that the values that
 * compute with ports (connection sets, three-valued sets) need not load `Port`.
 */

/** The protocols NetworkPolicy supports; the values are the API's own spelling. */
export enum Protocol {
  /** Transmission Control Protocol. */
  TCP = 'TCP',
  /** User Datagram Protocol. */
  UDP = 'UDP',
  /** Stream Control Transmission Protocol. */
  SCTP = 'SCTP',
}

/** All protocols, in the order they are printed. */
export const PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/** True if `p` is exactly one of `TCP`, `UDP`, `SCTP` (the API server's enum is case-sensitive). */
export function isProtocol(p: unknown): p is Protocol {
  return p === Protocol.TCP || p === Protocol.UDP || p === Protocol.SCTP;
}
