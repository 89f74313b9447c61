import { Cidr, IpBlock, LabelSelector, Peer, PeerKind, SelectorOperator } from '../../lib/model';
import { issuesOf } from './caught';

const LABEL_RULE =
  "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";

describe('Peer factories', () => {
  test('any is the missing from/to list: no JSON, printed as *', () => {
    const p = Peer.any();
    expect(p.kind).toBe('any');
    expect(p.toJson()).toBeUndefined();
    expect(p.toString()).toBe('*');
    expect(p.key).toBe('0|*');
    expect(Peer.any()).toBe(p);
  });

  test('pods selects pods of the policy namespace by labels', () => {
    const p = Peer.pods({ app: 'web' });
    expect(p.kind).toBe('pods');
    expect(p.toJson()).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
    expect(p.toString()).toBe('pods app=web');
    expect(p.key).toBe('1|pods app=web');
  });

  test('pods with {} selects every pod of the policy namespace', () => {
    expect(Peer.pods({}).toJson()).toEqual({ podSelector: {} });
    expect(Peer.pods({}).toString()).toBe('pods *');
  });

  test('pods takes a LabelSelector with expressions', () => {
    const p = Peer.pods(LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] }]));
    expect(p.toJson()).toEqual({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } });
    expect(p.toString()).toBe('pods tier in (a,b)');
  });

  test('namespace selects every pod of one namespace through its metadata.name label', () => {
    const p = Peer.namespace('db');
    expect(p.kind).toBe('namespaces');
    expect(p.podSelector).toBeUndefined();
    expect(p.toJson()).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } } });
    expect(p.toString()).toBe('namespace db');
    expect(p.key).toBe('2|namespace db');
  });

  test('namespaces selects every pod of the labelled namespaces', () => {
    const p = Peer.namespaces({ team: 'a' });
    expect(p.toJson()).toEqual({ namespaceSelector: { matchLabels: { team: 'a' } } });
    expect(p.toString()).toBe('namespaces team=a');
  });

  test('allPods is every pod of every namespace: an empty namespaceSelector', () => {
    const p = Peer.allPods();
    expect(p.toJson()).toEqual({ namespaceSelector: {} });
    expect(p.toString()).toBe('namespaces *');
  });

  test('podsInNamespace is one peer with both selectors, which Kubernetes reads as AND', () => {
    const p = Peer.podsInNamespace('team-a', { app: 'client' });
    expect(p.kind).toBe('namespaces');
    expect(p.toJson()).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } },
      podSelector: { matchLabels: { app: 'client' } },
    });
    expect(p.toString()).toBe('namespace team-a pods app=client');
  });

  test('podsInNamespace takes a namespace selector', () => {
    const p = Peer.podsInNamespace(LabelSelector.of({ team: 'a' }), LabelSelector.of({ app: 'x' }));
    expect(p.toJson()).toEqual({ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'x' } } });
    expect(p.toString()).toBe('namespaces team=a pods app=x');
  });

  test('cidr builds an ipBlock with its excepts', () => {
    const p = Peer.cidr('172.17.0.0/16', ['172.17.1.0/24']);
    expect(p.kind).toBe('ipBlock');
    expect(p.toJson()).toEqual({ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } });
    expect(p.toString()).toBe('172.17.0.0/16 except 172.17.1.0/24');
    expect(p.key).toBe('3|172.17.0.0/16 except 172.17.1.0/24');
  });

  test('cidr without excepts has no except field', () => {
    expect(Peer.cidr('10.0.0.0/8').toJson()).toEqual({ ipBlock: { cidr: '10.0.0.0/8' } });
    expect(Peer.cidr(Cidr.parse('2001:db8::/32')).toJson()).toEqual({ ipBlock: { cidr: '2001:db8::/32' } });
  });

  test('fromIpBlock wraps an IpBlock value', () => {
    const block = IpBlock.of('10.0.0.0/8', ['10.1.0.0/16']);
    expect(Peer.fromIpBlock(block).ipBlock).toBe(block);
    expect(Peer.fromIpBlock(block).kind).toBe(PeerKind.IP_BLOCK);
  });

  test('the static ipBlock, kept for TypeScript, is fromIpBlock', () => {
    const block = IpBlock.of('10.0.0.0/8');
    expect(Peer.ipBlock(block).isEqualTo(Peer.fromIpBlock(block))).toBe(true);
    expect(Peer.ipBlock(block).ipBlock).toBe(block);
  });

  test('anyIpv4 and anyIpv6 are the whole address spaces', () => {
    expect(Peer.anyIpv4().toJson()).toEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
    expect(Peer.anyIpv6().toJson()).toEqual({ ipBlock: { cidr: '::/0' } });
    expect(Peer.anyIpv4().toString()).toBe('0.0.0.0/0');
  });

  test('throws for an invalid namespace name', () => {
    expect(issuesOf(() => Peer.namespace('Team_A'))).toEqual([
      { code: 'namespace.name', path: '', message: `namespace name "Team_A" is invalid: ${LABEL_RULE}` },
    ]);
    expect(() => Peer.podsInNamespace('a.b', { app: 'x' })).toThrow(new Error(`namespace name "a.b" is invalid: ${LABEL_RULE}`));
  });

  test('throws for a namespace name longer than 63 characters', () => {
    const name = 'n'.repeat(64);
    expect(() => Peer.namespace(name)).toThrow(new Error(`namespace name "${name}" is invalid: must be no more than 63 characters`));
  });

  test('throws for an invalid ipBlock with the ipBlock paths', () => {
    expect(issuesOf(() => Peer.cidr('10.0.0.0/16', ['10.1.0.0/24'])).map((i) => `${i.path} ${i.code}`)).toEqual([
      'except[0] ipblock.except-outside',
    ]);
    expect(issuesOf(() => Peer.cidr('10.0.0.5')).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'cidr: CIDR mask is missing in "10.0.0.5". Did you mean "10.0.0.5/32"?',
    ]);
  });

  test('throws for invalid pod labels', () => {
    expect(issuesOf(() => Peer.pods({ app: 'web app' })).map((i) => `${i.path} ${i.code}`)).toEqual(['matchLabels label.value']);
  });
});

describe('Peer.raw', () => {
  const pods = LabelSelector.of({ app: 'web' });
  const ns = LabelSelector.of({ team: 'a' });
  const block = IpBlock.of('10.0.0.0/8');

  test('builds the peer kind that matches the parts', () => {
    expect(Peer.raw({ podSelector: pods }).toString()).toBe('pods app=web');
    expect(Peer.raw({ namespaceSelector: ns }).toString()).toBe('namespaces team=a');
    expect(Peer.raw({ namespaceSelector: ns, podSelector: pods }).toString()).toBe('namespaces team=a pods app=web');
    expect(Peer.raw({ ipBlock: block }).toString()).toBe('10.0.0.0/8');
  });

  test('throws for ipBlock together with a selector', () => {
    const expected = [
      {
        code: 'peer.ipblock-with-selector',
        path: '',
        message: 'a peer may not combine ipBlock with podSelector or namespaceSelector; make them separate peers',
      },
    ];
    expect(issuesOf(() => Peer.raw({ ipBlock: block, podSelector: pods }))).toEqual(expected);
    expect(issuesOf(() => Peer.raw({ ipBlock: block, namespaceSelector: ns }))).toEqual(expected);
  });

  test('throws for no parts at all, pointing at Peer.any()', () => {
    expect(issuesOf(() => Peer.raw({}))).toEqual([
      {
        code: 'peer.empty',
        path: '',
        message:
          'a peer must have a podSelector, a namespaceSelector or an ipBlock; to match everything, leave out the from/to list (Peer.any())',
      },
    ]);
  });
});

describe('Peer identity', () => {
  test('isPeer recognises peers and nothing else', () => {
    expect(Peer.isPeer(Peer.any())).toBe(true);
    expect(Peer.isPeer(Peer.pods({}))).toBe(true);
    expect(Peer.isPeer({ kind: 'pods' })).toBe(false);
    expect(Peer.isPeer(null)).toBe(false);
  });

  test('equals, kept for TypeScript, answers as isEqualTo', () => {
    expect(Peer.pods({ b: '2', a: '1' }).equals(Peer.pods({ a: '1', b: '2' }))).toBe(true);
    expect(Peer.pods({ app: 'db' }).equals(Peer.namespace('db'))).toBe(false);
  });

  test('isEqualTo compares the canonical key', () => {
    expect(Peer.pods({ b: '2', a: '1' }).isEqualTo(Peer.pods({ a: '1', b: '2' }))).toBe(true);
    expect(Peer.namespace('db').isEqualTo(Peer.namespaces({ 'kubernetes.io/metadata.name': 'db' }))).toBe(true);
    expect(Peer.pods({ app: 'db' }).isEqualTo(Peer.podsInNamespace('db', {}))).toBe(false);
    expect(Peer.cidr('10.0.0.0/8').isEqualTo(Peer.cidr('10.0.0.0/8', ['10.1.0.0/16']))).toBe(false);
  });

  test('keys order peers by kind: any, pods, namespaces, ipBlock', () => {
    const peers = [Peer.cidr('10.0.0.0/8'), Peer.namespace('db'), Peer.any(), Peer.pods({ app: 'web' })];
    expect(peers.map((p) => p.key).sort()).toEqual(['0|*', '1|pods app=web', '2|namespace db', '3|10.0.0.0/8']);
  });
});
