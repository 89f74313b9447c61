import { parseProbes, probeText } from '../../lib/analysis/probe';

describe('probes', () => {
  test('parses port/protocol lists, TCP by default, protocol in any case, dropping repeats', () => {
    expect(parseProbes('80/TCP, 81,53/udp,80/tcp,2905/SCTP').map(probeText)).toEqual(['80/TCP', '81/TCP', '53/UDP', '2905/SCTP']);
  });

  test('throws on bad entries, one issue each', () => {
    expect(() => parseProbes('http,0/TCP,80/ICMP')).toThrow(
      [
        '"http" is not a probe; write port/protocol, e.g. "80/TCP" or "53/UDP"',
        'port 0 in "0/TCP" is out of range; a port number is an integer from 1 to 65535',
        'protocol "ICMP" in "80/ICMP" is not supported; use TCP, UDP or SCTP',
      ].join('\n'),
    );
  });
});
