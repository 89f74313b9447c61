/** `ExternalDatabase` keeps frozen copies of the blocks and ports it was given. */
import { Chart, Testing } from 'cdk8s';
import { ExternalDatabase, IpBlock, Port, Tier } from '../../lib';

test('blocks and ports are frozen copies: changing the given lists later changes nothing', () => {
  const c = new Chart(Testing.app(), 'c', { namespace: 'n' });
  const cidrs: (string | IpBlock)[] = ['10.20.0.0/24', IpBlock.of('10.30.0.0/24')];
  const ports = [Port.tcp(5432)];
  const db = new ExternalDatabase(c, 'db', { cidrs, ports });
  cidrs.push('10.40.0.0/24');
  ports.push(Port.tcp(5433));
  expect(db.blocks.map(String)).toEqual(['10.20.0.0/24', '10.30.0.0/24']);
  expect(db.ports.map(String)).toEqual(['TCP 5432']);
  expect(Object.isFrozen(db.blocks)).toBe(true);
  expect(Object.isFrozen(db.ports)).toBe(true);
  expect(() => db.ports.push(Port.tcp(1))).toThrow(TypeError);
  new Tier(c, 'app', { pods: { app: 'x' } }).allowTo(db);
  expect(Testing.synth(c)[0].spec.egress).toEqual([
    { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }, { ipBlock: { cidr: '10.30.0.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
  ]);
});
