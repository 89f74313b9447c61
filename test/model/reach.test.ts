import fc from 'fast-check';
import { AddressSet } from '../../lib/model/address-set';
import { Condition, End } from '../../lib/model/condition';
import { ConnectionSet } from '../../lib/model/connection-set';
import { Protocol } from '../../lib/model/port';
import { Reach } from '../../lib/model/reach';
import { LabelSelector, Labels } from '../../lib/model/selector';
import { parseIp } from '../../lib/model/cidr';

const tcp = (a: number, b = a) => ConnectionSet.range(Protocol.TCP, a, b);
const metrics = { name: 'metrics', protocol: 'TCP' as Protocol };

describe('Condition', () => {
  test('reads and writes facts about either end, joined by and', () => {
    const c = Condition.parse('destination namespace matches team=a and source IP in 10.0.0.0/8; 192.168.0.0/16');
    expect(c.toString()).toBe('source IP in 10.0.0.0/8; 192.168.0.0/16 and destination namespace matches team=a');
    expect(Condition.parse(c.toString()).key).toBe(c.key);
    expect(Condition.ALWAYS.toString()).toBe('');
  });

  test('intersects the addresses of one end, and is undefined when they cannot both hold', () => {
    const a = Condition.podIp('source', AddressSet.parse('10.0.0.0/8'));
    expect(a.and(Condition.podIp('source', AddressSet.parse('10.1.0.0/16')))!.toString()).toBe('source IP in 10.1.0.0/16');
    expect(a.and(Condition.podIp('source', AddressSet.parse('192.168.0.0/16')))).toBeUndefined();
    expect(a.and(Condition.podIp('destination', AddressSet.parse('192.168.0.0/16')))!.facts).toHaveLength(2);
  });

  test('namespace requirements that no labels meet cannot both hold', () => {
    const a = Condition.namespaceLabels('source', LabelSelector.of({ team: 'a' }));
    expect(a.and(Condition.namespaceLabels('source', LabelSelector.of({ team: 'b' })))).toBeUndefined();
    expect(a.and(Condition.namespaceLabels('source', LabelSelector.of({ env: 'prod' })))!.toString()).toBe(
      'source namespace matches env=prod and source namespace matches team=a',
    );
  });

  test('describes itself for a pair of named ends', () => {
    const c = Condition.parse('source IP in 10.0.0.0/8 and destination namespace matches team=a');
    expect(c.describe({ source: 'shop/web', sourceNamespace: 'shop', destination: 'db/pg', destinationNamespace: 'db' })).toBe(
      'the IP of shop/web lies in 10.0.0.0/8 and the labels of namespace db match team=a',
    );
  });

  test('throws on text in another form, saying the forms', () => {
    expect(() => Condition.parse('source is nice')).toThrow(
      '"source is nice" is not a condition; write "source IP in 10.0.0.0/8" or "destination namespace matches team=a", joined by "and"',
    );
  });
});

describe('Reach', () => {
  test('a named port depends on the destination, and is allowed once its number is known', () => {
    const r = Reach.of(tcp(443)).union(Reach.named(metrics));
    expect(r.verdict(443, Protocol.TCP).value).toBe('allowed');
    expect(r.verdict(9090, Protocol.TCP)).toEqual({
      value: 'depends',
      alternatives: [{ portNames: [metrics], condition: Condition.ALWAYS }],
    });
    expect(r.verdict(9090, Protocol.UDP).value).toBe('denied');
    expect(r.toString()).toBe('TCP 443; TCP metrics');
    expect(r.resolvePorts([{ name: 'metrics', containerPort: 9090, protocol: Protocol.TCP }]).toString()).toBe('TCP 443,9090');
    expect(r.resolvePorts([{ name: 'metrics', containerPort: 9090, protocol: Protocol.UDP }]).toString()).toBe('TCP 443');
  });

  test('both ends: a named port meets a numeric range as the name within that range', () => {
    const ingress = Reach.named(metrics);
    const egress = Reach.of(tcp(8000, 8999));
    expect(ingress.intersect(egress).toString()).toBe('TCP metrics in 8000-8999');
    expect(ingress.intersect(Reach.of(ConnectionSet.protocol(Protocol.UDP))).isEmpty).toBe(true);
  });

  test('a condition makes everything dependent, and a known fact decides it', () => {
    const c = Condition.podIp('source', AddressSet.parse('10.0.0.0/8'));
    const r = Reach.when(c, tcp(80)).union(Reach.of(tcp(443)));
    expect(r.toString()).toBe('TCP 443; TCP 80 if source IP in 10.0.0.0/8');
    expect(r.decide(() => true).toString()).toBe('TCP 80,443');
    expect(r.decide(() => false).toString()).toBe('TCP 443');
    expect(r.possible.toString()).toBe('TCP 80,443');
  });

  test('a dependency a weaker one covers adds nothing', () => {
    const weak = Condition.podIp('source', AddressSet.parse('10.0.0.0/8'));
    const strong = weak.and(Condition.namespaceLabels('destination', LabelSelector.of({ team: 'a' })))!;
    expect(
      Reach.when(weak, tcp(80, 90))
        .union(Reach.when(strong, tcp(85, 95)))
        .toString(),
    ).toBe('TCP 80-90 if source IP in 10.0.0.0/8; TCP 91-95 if source IP in 10.0.0.0/8 and destination namespace matches team=a');
  });

  // ------------------------------------------------------------------ against a brute-force oracle

  /** One assignment of every unknown: the ends' IPs and namespace labels, and the destination's port numbers. */
  interface World {
    readonly ip: Record<End, string>;
    readonly labels: Record<End, Labels>;
    readonly ports: Record<string, number | undefined>;
  }
  const IPS = ['10.0.0.1', '10.1.0.1', '192.168.0.1'];
  const BLOCKS = ['10.0.0.0/8', '10.0.0.0/16', '192.168.0.0/16'];
  const LABELS: Labels[] = [{}, { team: 'a' }, { team: 'b', env: 'prod' }];
  const SELECTORS = ['team=a', 'env=prod', 'team notin (a)', 'team'];
  const NAMES = ['metrics', 'http'];
  const PORTS = [80, 81, 443, 8080];
  const worlds: World[] = [];
  for (const s of IPS)
    for (const d of IPS)
      for (const ls of LABELS)
        for (const ld of LABELS)
          for (const m of [undefined, 80, 443])
            for (const h of [undefined, 80, 8080])
              worlds.push({ ip: { source: s, destination: d }, labels: { source: ls, destination: ld }, ports: { metrics: m, http: h } });

  const holds = (c: Condition, w: World) =>
    c.facts.every((f) => {
      if (f.kind === 'pod-ip') {
        const ip = parseIp(w.ip[f.end]);
        return f.addresses.intervals.some((r) => r.family === ip.family && r.first <= ip.value && ip.value <= r.last);
      }
      if (f.kind === 'choice') throw new Error(`unexpected choice fact ${f.text}`);
      return f.selector.matches(w.labels[f.end]);
    });
  const allows = (r: Reach, w: World, port: number, protocol: Protocol): boolean => {
    if (r.allowed.contains(port, protocol)) return true;
    return r.depends.some((d) => {
      if (!holds(d.condition, w) || !d.ports.contains(port, protocol)) return false;
      return d.portNames.every((n) => n.protocol === protocol && w.ports[n.name] === port);
    });
  };

  const endArb = fc.constantFrom<End>('source', 'destination');
  const conditionArb = fc.oneof(
    fc.constant(Condition.ALWAYS),
    fc.tuple(endArb, fc.constantFrom(...BLOCKS)).map(([e, b]) => Condition.podIp(e, AddressSet.parse(b))),
    fc.tuple(endArb, fc.constantFrom(...SELECTORS)).map(([e, s]) => Condition.namespaceLabels(e, LabelSelector.parse(s))),
  );
  const setArb = fc.constantFrom(
    tcp(80),
    tcp(80, 443),
    tcp(443, 8080),
    ConnectionSet.protocol(Protocol.TCP),
    ConnectionSet.all(),
    ConnectionSet.none(),
  );
  const leafArb: fc.Arbitrary<Reach> = fc.oneof(
    setArb.map((s) => Reach.of(s)),
    fc
      .tuple(fc.constantFrom(...NAMES), setArb)
      .map(([name, within]) => Reach.named({ name, protocol: Protocol.TCP }, within.intersect(ConnectionSet.protocol(Protocol.TCP)))),
    fc.tuple(conditionArb, setArb).map(([c, s]) => Reach.when(c, s)),
  );
  const reachArb = fc.letrec<{ r: Reach }>((tie) => ({
    r: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc.tuple(tie('r'), tie('r')).map(([a, b]) => a.union(b)),
      fc.tuple(tie('r'), tie('r')).map(([a, b]) => a.intersect(b)),
      fc.tuple(tie('r'), conditionArb).map(([a, c]) => a.when(c)),
    ),
  })).r;

  test('union and intersection agree with a brute-force evaluation in every world, and keys are canonical', () => {
    fc.assert(
      fc.property(reachArb, reachArb, (a, b) => {
        const u = a.union(b);
        const i = a.intersect(b);
        for (const w of worlds) {
          for (const port of PORTS) {
            for (const protocol of ['TCP', 'UDP'] as Protocol[]) {
              const x = allows(a, w, port, protocol);
              const y = allows(b, w, port, protocol);
              if (allows(u, w, port, protocol) !== (x || y))
                throw new Error(`union of ${a} and ${b} is ${u}, wrong on ${protocol} ${port}`);
              if (allows(i, w, port, protocol) !== (x && y))
                throw new Error(`intersection of ${a} and ${b} is ${i}, wrong on ${protocol} ${port}`);
            }
          }
        }
        expect(a.union(b).key).toBe(b.union(a).key);
        expect(a.intersect(b).key).toBe(b.intersect(a).key);
        // what is allowed is allowed in every world; what depends is allowed in some world and not in another
        for (const port of PORTS) {
          const v = u.verdict(port, Protocol.TCP).value;
          const inWorlds = worlds.map((w) => allows(u, w, port, Protocol.TCP));
          if (v === 'allowed') expect(inWorlds.every((x) => x)).toBe(true);
          if (v === 'denied') expect(inWorlds.some((x) => x)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('LabelSelector.parse', () => {
  test('reads what toString writes', () => {
    for (const text of ['*', 'app=web', 'app=web,tier in (a,b)', 'tier notin (x),canary,!legacy']) {
      expect(LabelSelector.parse(text).toString()).toBe(text);
    }
  });

  test('throws on a requirement in another form', () => {
    expect(() => LabelSelector.parse('app == web')).toThrow(
      '"app == web" in "app == web" is not a label requirement; write key=value, key in (a,b), key notin (a,b), key or !key',
    );
  });
});

describe('AddressSet.intersect', () => {
  test('keeps the addresses of both sets', () => {
    expect(
      AddressSet.parse('10.0.0.0/8')
        .intersect(AddressSet.parse('10.1.0.0/16').union(AddressSet.parse('192.168.0.0/16')))
        .toString(),
    ).toBe('10.1.0.0/16');
    expect(AddressSet.parse('10.0.0.0/8').intersect(AddressSet.parse('::/0')).isEmpty).toBe(true);
  });
});
