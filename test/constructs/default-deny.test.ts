/** `DefaultDeny` keeps its directions sorted, without repeats, frozen. */
import { Chart, Testing } from 'cdk8s';
import { DefaultDeny, Direction } from '../../lib';

test('directions are a sorted, frozen copy of the given list', () => {
  const c = new Chart(Testing.app(), 'c', { namespace: 'n' });
  const given = [Direction.INGRESS, Direction.EGRESS, Direction.INGRESS];
  const deny = new DefaultDeny(c, 'deny', { directions: given });
  given.pop();
  given.pop();
  expect(deny.directions).toEqual([Direction.EGRESS, Direction.INGRESS]);
  expect(Object.isFrozen(deny.directions)).toBe(true);
  expect(Testing.synth(c)[0].spec.policyTypes).toEqual(['Egress', 'Ingress']);
});
