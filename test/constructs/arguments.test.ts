/**
 * Construct constructors and statements refuse, with the construct path and one line, what
 * they cannot render exactly; driven with arbitrary JavaScript values, a statement that is
 * accepted renders a rule with every peer and every port it was given, never fewer.
 */
import { App, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { AllowDns, DefaultDeny, ExternalDatabase, Peer, Port, Tier } from '../../lib';
import { NetpolError } from '../../lib/model/errors';

const A = undefined as any;

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return e.message;
  }
  throw new Error('expected a refusal');
}

function chart(): Chart {
  return new Chart(Testing.app(), 'c', { namespace: 'shop' });
}

describe('constructs refuse arguments they cannot render', () => {
  test('throws for a raw number instead of a Port, which would render protocol: null', () => {
    const web = new Tier(chart(), 'web', { pods: { app: 'web' } });
    expect(refusal(() => web.allowFrom(Peer.anyIpv4(), 443 as any))).toBe(
      'c/web: allowFrom: ports[0]: expected a Port such as Port.tcp(443), got the number 443',
    );
  });

  test('throws for a missing peer, which would render a rule for every peer', () => {
    const web = new Tier(chart(), 'web', { pods: { app: 'web' } });
    expect(refusal(() => web.allowTo(A))).toBe(
      "c/web: allowTo: peer: expected a Peer (e.g. Peer.pods({ app: 'web' })), a Tier or an ExternalDatabase, got undefined",
    );
    expect(refusal(() => web.allowFrom({ kind: 'any' } as any))).toBe(
      "c/web: allowFrom: peer: expected a Peer (e.g. Peer.pods({ app: 'web' })), a Tier or an ExternalDatabase, got an object",
    );
  });

  test('throws for a missing port in allowWithin', () => {
    const web = new Tier(chart(), 'web', { pods: { app: 'web' } });
    expect(refusal(() => web.allowWithin(Port.tcp(80), A))).toBe(
      'c/web: allowWithin: ports[1]: expected a Port such as Port.tcp(443), got undefined',
    );
  });

  test('throws for a tier of another App', () => {
    const web = new Tier(chart(), 'web', { pods: { app: 'web' } });
    const api = new Tier(new Chart(new App(), 'other'), 'api', { pods: { app: 'api' } });
    expect(refusal(() => web.allowTo(api, Port.tcp(8080)))).toBe(
      'c/web: allowTo: peer: other/api belongs to another App; a statement can only name constructs of its own App, so create the peer in this App or use a Peer value',
    );
    expect(refusal(() => api.allowFrom(web))).toBe(
      'other/api: allowFrom: peer: c/web belongs to another App; a statement can only name constructs of its own App, so create the peer in this App or use a Peer value',
    );
  });

  test('throws for missing or mistyped props', () => {
    const c = chart();
    expect(refusal(() => new Tier(c, 'web', A))).toBe('c/web: Tier: props: expected an object of properties, got undefined');
    expect(refusal(() => new ExternalDatabase(c, 'db', { cidrs: A, ports: [Port.tcp(5432)] }))).toBe(
      "c/db: ExternalDatabase: cidrs: expected an array of CIDRs such as ['10.20.0.0/24'], got undefined",
    );
    expect(refusal(() => new ExternalDatabase(c, 'db2', { cidrs: ['10.0.0.0/24'], ports: [5432 as any] }))).toBe(
      'c/db2: ExternalDatabase: ports[0]: expected a Port such as Port.tcp(5432), got the number 5432',
    );
    expect(refusal(() => new DefaultDeny(c, 'deny', { directions: 'Ingress' as any }))).toBe(
      'c/deny: DefaultDeny: directions: expected an array such as [Direction.INGRESS, Direction.EGRESS], got the string "Ingress"',
    );
    expect(refusal(() => new AllowDns(c, 'dns', { dns: { ports: [53 as any] } }))).toBe(
      'c/dns: AllowDns: dns.ports: expected an array of Ports such as [Port.udp(53), Port.tcp(53)], got an array',
    );
    expect(refusal(() => new Tier(c, 'web2', { workload: c }))).toBe(
      'c/web2: Tier: workload: expected a cdk8s-plus workload or pod such as a Deployment (a construct with toPodSelectorConfig()), got an instance of Chart',
    );
    expect(refusal(() => new AllowDns(c, 'dns2', { dns: { nodeLocalCidrs: ['169.254.20.10/32' as any] } }))).toBe(
      "c/dns2: AllowDns: dns.nodeLocalCidrs: expected an array of IpBlocks such as [IpBlock.of('169.254.20.10/32')], got an array",
    );
    expect(refusal(() => new DefaultDeny(c, 'deny2', { namespace: 7 as any }))).toBe(
      'c/deny2: DefaultDeny: namespace: expected a string, or nothing for the default, got the number 7',
    );
  });

  test('throws for a suppression without a rule id or reason', () => {
    const web = new Tier(chart(), 'web', { pods: { app: 'web' } });
    expect(refusal(() => web.suppressLint('NP001', A))).toBe(
      'c/web: suppressLint: reason: expected a string saying why the finding does not apply, got undefined',
    );
  });

  test('a tier whose pods are missing is a validation error, not a tier of every pod', () => {
    const c = chart();
    new Tier(c, 'web', { pods: A });
    expect(() => Testing.synth(c)).toThrow(
      '[c/web] pods: a tier needs `pods` (labels of its pods, e.g. { app: "web" }) or a cdk8s-plus `workload`',
    );
  });
});

const anyValue = fc.oneof(fc.anything(), fc.bigInt(), fc.constantFrom(undefined, null, 443, '443', {}, []));
const portArg = fc.oneof(fc.constantFrom(Port.tcp(80), Port.udp(53), Port.tcpRange(8000, 8080), Port.named('http')), anyValue);
const peerArg = fc.oneof(fc.constantFrom('tier', Peer.anyIpv4(), Peer.pods({ app: 'x' }), Peer.namespace('ops')), anyValue);

describe('with arbitrary JavaScript values, a statement renders all that it was given or is refused', () => {
  test('allowFrom/allowTo/allowWithin', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('allowFrom', 'allowTo', 'allowWithin'),
        peerArg,
        fc.array(portArg, { maxLength: 3 }),
        (call, peer, ports) => {
          const c = chart();
          const web = new Tier(c, 'web', { pods: { app: 'web' } });
          const other = new Tier(c, 'other', { pods: { app: 'other' } });
          const target = peer === 'tier' ? other : peer;
          try {
            if (call === 'allowWithin') web.allowWithin(...(ports as any[]));
            else (web as any)[call](target, ...ports);
          } catch (e) {
            expect(NetpolError.isNetpolError(e)).toBe(true);
            expect((e as Error).message).not.toContain('\n');
            return;
          }
          // accepted: every argument was a value of the library, and the rule holds all of them
          if (call !== 'allowWithin') expect(Peer.isPeer(target) || Tier.isTier(target)).toBe(true);
          expect(ports.every((p) => Port.isPort(p))).toBe(true);
          const policy = web.toPolicy()!;
          const rules = call === 'allowFrom' ? policy.ingress : policy.egress;
          expect(rules).toHaveLength(1);
          expect(rules[0].ports.map(String).sort()).toEqual([...new Set(ports.map(String))].sort());
          const json = JSON.stringify(Testing.synth(c));
          expect(json).not.toContain('"protocol":null');
          if (!(Peer.isPeer(target) && target.kind === 'any')) expect(rules[0].peers.length).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
