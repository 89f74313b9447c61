/**
 * Probes: the port and protocol pairs a reachability matrix is asked about, written
 * `80/TCP,53/UDP` on the command line.
 */
import { NetpolError } from '../model/errors';
import { isProtocol, Protocol } from '../model/port';

/** One port of one protocol. */
export interface Probe {
  /** 1-65535. */
  readonly port: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: Protocol;
}

/**
 * Parses a comma-separated list of `port[/protocol]` (`80/TCP,81/TCP,53/UDP`; the protocol
 * defaults to TCP and may be written in any case). Throws `NetpolError` quoting the bad entry.
 */
export function parseProbes(text: string): Probe[] {
  const out: Probe[] = [];
  const issues: { code: string; path: string; message: string }[] = [];
  const entries = text.split(',').map((s) => s.trim());
  entries.forEach((entry) => {
    const m = /^([0-9]+)(?:\/([A-Za-z]+))?$/.exec(entry);
    if (!m) {
      issues.push({ code: 'probe.syntax', path: '', message: `"${entry}" is not a probe; write port/protocol, e.g. "80/TCP" or "53/UDP"` });
      return;
    }
    const port = Number(m[1]);
    const protocol = (m[2] ?? 'TCP').toUpperCase();
    if (!Number.isInteger(port) || port < 1 || port > 65535 || m[1].startsWith('0')) {
      issues.push({
        code: 'probe.port',
        path: '',
        message: `port ${m[1]} in "${entry}" is out of range; a port number is an integer from 1 to 65535`,
      });
      return;
    }
    if (!isProtocol(protocol)) {
      issues.push({ code: 'probe.protocol', path: '', message: `protocol "${m[2]}" in "${entry}" is not supported; use TCP, UDP or SCTP` });
      return;
    }
    if (!out.some((p) => p.port === port && p.protocol === protocol)) out.push({ port, protocol });
  });
  if (issues.length > 0) throw new NetpolError(issues);
  return out;
}

/** `80/TCP`. */
export function probeText(p: Probe): string {
  return `${p.port}/${p.protocol}`;
}
