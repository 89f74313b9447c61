import * as fc from 'fast-check';
import { compareStrings, Peer, Port, Rule, Protocol } from '../../lib/model';

describe('Rule.of', () => {
  test('Peer.any() among the peers collapses the list to empty, which matches every peer', () => {
    const r = Rule.of([Peer.pods({ app: 'web' }), Peer.any(), Peer.namespace('db')], [Port.tcp(80)]);
    expect(r.peers).toEqual([]);
    expect(r.anyPeer).toBe(true);
    expect(r.toString()).toBe('*: TCP 80');
  });

  test('an empty peer list and an empty port list match everything', () => {
    const r = Rule.of([], []);
    expect(r.anyPeer).toBe(true);
    expect(r.anyPort).toBe(true);
    expect(r.toString()).toBe('*: all ports');
    expect(r.key).toBe('#');
  });

  test('keeps the given order and drops exact repeats of peers and ports', () => {
    const r = Rule.of(
      [Peer.namespace('db'), Peer.pods({ app: 'web' }), Peer.namespace('db'), Peer.namespaces({ 'kubernetes.io/metadata.name': 'db' })],
      [Port.udp(53), Port.tcp(80), Port.udp(53), Port.tcpRange(80, 80)],
    );
    expect(r.peers.map(String)).toEqual(['namespace db', 'pods app=web']);
    expect(r.ports.map(String)).toEqual(['UDP 53', 'TCP 80']);
    expect(r.anyPeer).toBe(false);
    expect(r.anyPort).toBe(false);
  });

  test('keeps ports that differ only in protocol or range', () => {
    const r = Rule.of([], [Port.tcp(53), Port.udp(53), Port.tcpRange(53, 54), Port.named('dns', Protocol.UDP)]);
    expect(r.ports.map(String)).toEqual(['TCP 53', 'UDP 53', 'TCP 53-54', 'UDP dns']);
  });

  test('toString lists peers with | and ports with commas', () => {
    const r = Rule.of([Peer.pods({ app: 'web' }), Peer.cidr('10.0.0.0/8')], [Port.tcp(80), Port.tcp(443)]);
    expect(r.toString()).toBe('pods app=web | 10.0.0.0/8: TCP 80, TCP 443');
    expect(Rule.of([Peer.pods({})], []).toString()).toBe('pods *: all ports');
  });

  test('key joins peer keys and ports', () => {
    const r = Rule.of([Peer.pods({ app: 'web' }), Peer.namespace('db')], [Port.tcp(80), Port.udp(53)]);
    expect(r.key).toBe('1|pods app=web;2|namespace db#TCP 80,UDP 53');
  });
});

describe('Rule.sorted', () => {
  test('orders peers by kind and text and ports by Port.compare, leaving the rule unchanged', () => {
    const r = Rule.of(
      [Peer.cidr('10.0.0.0/8'), Peer.namespace('db'), Peer.pods({ app: 'web' }), Peer.pods({ app: 'api' })],
      [Port.udp(53), Port.named('http'), Port.tcp(443), Port.tcp(80)],
    );
    const s = r.sorted();
    expect(s.peers.map(String)).toEqual(['pods app=api', 'pods app=web', 'namespace db', '10.0.0.0/8']);
    expect(s.ports.map(String)).toEqual(['TCP 80', 'TCP 443', 'TCP http', 'UDP 53']);
    expect(r.peers.map(String)).toEqual(['10.0.0.0/8', 'namespace db', 'pods app=web', 'pods app=api']);
  });

  const peerArb = fc.oneof(
    fc.constantFrom('web', 'api', 'db').map((app) => Peer.pods({ app })),
    fc.constantFrom('db', 'monitoring').map((ns) => Peer.namespace(ns)),
    fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32').map((c) => Peer.cidr(c)),
  );
  const portArb = fc.oneof(
    fc.tuple(fc.constantFrom(Port.tcp, Port.udp), fc.integer({ min: 1, max: 5 })).map(([f, n]) => f(n)),
    fc.constantFrom(Port.named('http'), Port.allUdp()),
  );

  test('gives the same rule whatever the input order, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(peerArb, { maxLength: 6 }).chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length }))),
        fc.array(portArb, { maxLength: 6 }).chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length }))),
        ([peers, peersShuffled], [ports, portsShuffled]) => {
          const a = Rule.of(peers, ports).sorted();
          const b = Rule.of(peersShuffled, portsShuffled).sorted();
          expect(b.key).toBe(a.key);
          expect(a.sorted().key).toBe(a.key);
          expect(new Set(a.peers.map((p) => p.key)).size).toBe(a.peers.length);
          expect(new Set(a.ports.map(String)).size).toBe(a.ports.length);
        },
      ),
    );
  });
});

describe('compareStrings', () => {
  test('orders by code unit, independent of locale', () => {
    expect(['b', 'B', 'a', 'A', '_'].sort(compareStrings)).toEqual(['A', 'B', '_', 'a', 'b']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});
