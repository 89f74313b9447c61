import { peerMatchesNamespace, peerMatchesPod } from '../../lib/model/peer';
import { Protocol } from '../../lib/model/port';
import { SelectorOperator } from '../../lib/model/selector';
import { Direction } from '../../lib/model/rule';
import { Cidr, Condition, LabelSelector, namespace, Peer, Policy, resolvePort, Workload } from '../../lib/model';
import { parseIp } from '../../lib/model/cidr';

const web: Workload = {
  namespace: 'shop',
  name: 'web',
  kind: 'Deployment',
  labels: { app: 'web' },
  ports: [
    { name: 'http', containerPort: 8080, protocol: Protocol.TCP },
    { name: 'http', containerPort: 9090, protocol: Protocol.TCP },
    { name: 'dns', containerPort: 53, protocol: Protocol.UDP },
  ],
  ips: [parseIp('10.1.0.7')],
};
const shop = namespace('shop', { team: 'retail' });
const text = (m: boolean | Condition) => (typeof m === 'boolean' ? m : `if ${m}`);
const matches = (peer: Peer, policyNs: string, w: Workload = web, ns = shop, ignore = false) =>
  text(peerMatchesPod(peer, 'source', policyNs, w, ns, { ipBlockPods: ignore ? 'ignore' : 'match' }));

describe('peer matching', () => {
  test('a policy selects the pods of its own namespace that its podSelector matches', () => {
    const policy = (ns: string, sel: Record<string, string>) =>
      Policy.of({ name: 'p', namespace: ns, podSelector: LabelSelector.of(sel), policyTypes: [Direction.INGRESS] });
    expect(policy('shop', { app: 'web' }).selects(web)).toBe(true);
    expect(policy('shop', {}).selects(web)).toBe(true);
    expect(policy('other', {}).selects(web)).toBe(false);
    expect(policy('shop', { app: 'db' }).selects(web)).toBe(false);
  });

  test('a podSelector alone admits the policy namespace only; a namespaceSelector the namespaces it matches', () => {
    expect(matches(Peer.pods({ app: 'web' }), 'shop')).toBe(true);
    expect(matches(Peer.pods({ app: 'web' }), 'other')).toBe(false);
    expect(matches(Peer.namespaces({ team: 'retail' }), 'other')).toBe(true);
    expect(matches(Peer.namespace('shop'), 'other')).toBe(true);
    expect(peerMatchesNamespace(Peer.namespace('shop'), 'source', 'other', shop)).toBe(true);
    expect(peerMatchesNamespace(Peer.cidr('10.0.0.0/8'), 'source', 'shop', shop)).toBe(false);
  });

  test('namespace and pod selectors in one peer must both match', () => {
    expect(matches(Peer.podsInNamespace('shop', { app: 'web' }), 'x')).toBe(true);
    expect(matches(Peer.podsInNamespace('shop', { app: 'db' }), 'x')).toBe(false);
    expect(matches(Peer.podsInNamespace('other', { app: 'web' }), 'x')).toBe(false);
  });

  test('an ipBlock matches a pod by its IPs, unless ipBlocks ignore pods', () => {
    expect(matches(Peer.cidr('10.1.0.0/16'), 'shop')).toBe(true);
    expect(matches(Peer.cidr('10.1.0.0/16', ['10.1.0.0/24']), 'shop')).toBe(false);
    expect(matches(Peer.cidr('10.1.0.0/16'), 'shop', web, shop, true)).toBe(false);
    expect(matches(Peer.any(), 'x')).toBe(true);
  });

  test('a named port resolves to the first container port of that name and protocol', () => {
    expect(resolvePort(web, 'http', Protocol.TCP)).toBe(8080);
    expect(resolvePort(web, 'dns', Protocol.UDP)).toBe(53);
    expect(resolvePort(web, 'dns', Protocol.TCP)).toBeUndefined();
    expect(resolvePort(web, 'metrics', Protocol.TCP)).toBeUndefined();
  });

  test('a namespace selector against a namespace whose labels are unknown depends on them, beyond its name', () => {
    const unknown = namespace('shop', {}, false);
    expect(matches(Peer.namespaces({ team: 'retail' }), 'x', web, unknown)).toBe('if source namespace matches team=retail');
    expect(matches(Peer.namespace('shop'), 'x', web, unknown)).toBe(true);
    expect(matches(Peer.namespace('other'), 'x', web, unknown)).toBe(false);
    const both = LabelSelector.of({ 'kubernetes.io/metadata.name': 'shop', team: 'retail' });
    expect(matches(Peer.namespaces(both), 'x', web, unknown)).toBe('if source namespace matches team=retail');
    // labels a setting gives are known to be there; the rest are not
    const partly = namespace('kube-system', { dns: 'yes' }, false);
    expect(peerMatchesNamespace(Peer.namespaces({ dns: 'yes' }), 'destination', 'x', partly)).toBe(true);
    expect(peerMatchesNamespace(Peer.namespaces({ dns: 'no' }), 'destination', 'x', partly)).toBe(false);
    expect(
      peerMatchesNamespace(
        Peer.namespaces(LabelSelector.of({}, [{ key: 'dns', operator: SelectorOperator.NOT_IN, values: ['no'] }])),
        'destination',
        'x',
        partly,
      ),
    ).toBe(true);
  });

  test('an ipBlock against a pod whose IP is unknown depends on it, unless the pod ranges decide', () => {
    const pod: Workload = { ...web, ips: undefined };
    expect(matches(Peer.cidr('10.0.0.0/8'), 'shop', pod)).toBe('if source IP in 10.0.0.0/8');
    const pods = { podCidrs: [Cidr.parse('10.244.0.0/16')] };
    expect(peerMatchesPod(Peer.anyIpv4(), 'source', 'shop', pod, shop, pods)).toBe(true);
    expect(peerMatchesPod(Peer.cidr('192.168.0.0/16'), 'source', 'shop', pod, shop, pods)).toBe(false);
    expect(text(peerMatchesPod(Peer.cidr('10.244.1.0/24'), 'destination', 'shop', pod, shop, pods))).toBe(
      'if destination IP in 10.244.1.0/24',
    );
    expect(peerMatchesPod(Peer.anyIpv4(), 'source', 'shop', pod, shop, { ...pods, ipBlockPods: 'ignore' })).toBe(false);
  });
});
