/** The protocols of NetworkPolicy ports. */

/** The protocols NetworkPolicy supports. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** All protocols, in the order they are printed. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** True if `p` is exactly one of `TCP`, `UDP`, `SCTP` (the API server's enum is case-sensitive). */
export function isProtocol(p: unknown): p is Protocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}
