import { Direction, LabelSelector, Peer, Protocol } from '../../lib';
import { namespace, Policy, Workload } from '../../lib/api/analysis';
import { parseIp } from '../../lib/model/cidr';
import { peerSelectsNamespace, peerSelectsWorkload, policySelectsWorkload, resolveNamedPort } from '../../lib/analysis/peer-matching';

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
const shopLabels = namespace('shop', { team: 'retail' }).labels;

describe('peer matching', () => {
  test('a policy selects the pods of its own namespace that its podSelector matches', () => {
    const policy = (ns: string, sel: Record<string, string>) =>
      Policy.of({ name: 'p', namespace: ns, podSelector: LabelSelector.of(sel), policyTypes: [Direction.INGRESS] });
    expect(policySelectsWorkload(policy('shop', { app: 'web' }), web)).toBe(true);
    expect(policySelectsWorkload(policy('shop', {}), web)).toBe(true);
    expect(policySelectsWorkload(policy('other', {}), web)).toBe(false);
    expect(policySelectsWorkload(policy('shop', { app: 'db' }), web)).toBe(false);
  });

  test('a podSelector alone admits the policy namespace only; a namespaceSelector the namespaces it matches', () => {
    expect(peerSelectsWorkload(Peer.pods({ app: 'web' }), 'shop', web, shopLabels)).toBe(true);
    expect(peerSelectsWorkload(Peer.pods({ app: 'web' }), 'other', web, shopLabels)).toBe(false);
    expect(peerSelectsWorkload(Peer.namespaces({ team: 'retail' }), 'other', web, shopLabels)).toBe(true);
    expect(peerSelectsWorkload(Peer.namespace('shop'), 'other', web, shopLabels)).toBe(true);
    expect(peerSelectsNamespace(Peer.namespace('shop'), 'other', 'shop', shopLabels)).toBe(true);
    expect(peerSelectsNamespace(Peer.cidr('10.0.0.0/8'), 'shop', 'shop', shopLabels)).toBe(false);
  });

  test('namespace and pod selectors in one peer must both match', () => {
    expect(peerSelectsWorkload(Peer.podsInNamespace('shop', { app: 'web' }), 'x', web, shopLabels)).toBe(true);
    expect(peerSelectsWorkload(Peer.podsInNamespace('shop', { app: 'db' }), 'x', web, shopLabels)).toBe(false);
    expect(peerSelectsWorkload(Peer.podsInNamespace('other', { app: 'web' }), 'x', web, shopLabels)).toBe(false);
  });

  test('an ipBlock matches a pod by its IPs, unless ipBlocks ignore pods', () => {
    expect(peerSelectsWorkload(Peer.cidr('10.1.0.0/16'), 'shop', web, shopLabels)).toBe(true);
    expect(peerSelectsWorkload(Peer.cidr('10.1.0.0/16', ['10.1.0.0/24']), 'shop', web, shopLabels)).toBe(false);
    expect(peerSelectsWorkload(Peer.cidr('10.1.0.0/16'), 'shop', web, shopLabels, 'ignore')).toBe(false);
    expect(peerSelectsWorkload(Peer.any(), 'x', web, shopLabels)).toBe(true);
  });

  test('a named port resolves to the first container port of that name and protocol', () => {
    expect(resolveNamedPort(web, 'http', Protocol.TCP)).toBe(8080);
    expect(resolveNamedPort(web, 'dns', Protocol.UDP)).toBe(53);
    expect(resolveNamedPort(web, 'dns', Protocol.TCP)).toBeUndefined();
    expect(resolveNamedPort(web, 'metrics', Protocol.TCP)).toBeUndefined();
  });
});
