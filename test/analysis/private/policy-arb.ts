/**
 * Random NetworkPolicies for the property tests of the analysis' storage: each test brings its
 * own namespaces, selectors, peers and ports, and the policies are put together alike.
 */
import fc from 'fast-check';
import { Peer } from '../../../lib/model/peer';
import { Policy } from '../../../lib/model/policy';
import { Port } from '../../../lib/model/port';
import { Direction, Rule } from '../../../lib/model/rule';
import { LabelSelector } from '../../../lib/model/selector';

/** What a generated policy is made of. */
export interface PolicyParts {
  readonly namespaces: readonly string[];
  readonly podSelector: fc.Arbitrary<LabelSelector>;
  readonly peer: fc.Arbitrary<Peer>;
  readonly port: fc.Arbitrary<Port>;
  /** The most peers in a rule and rules in a direction. */
  readonly most: { readonly peers: number; readonly rules: number };
  readonly name: (i: number) => string;
}

/** The policy number `i`: one or both directions, each with its rules (none for a direction it does not isolate). */
export function policyArbOf(parts: PolicyParts): (i: number) => fc.Arbitrary<Policy> {
  const rule = fc
    .tuple(fc.array(parts.peer, { maxLength: parts.most.peers }), fc.array(parts.port, { maxLength: 2 }))
    .map(([peers, ports]) => Rule.of(peers, ports));
  return (i) =>
    fc
      .record({
        namespace: fc.constantFrom(...parts.namespaces),
        podSelector: parts.podSelector,
        types: fc.subarray([Direction.INGRESS, Direction.EGRESS], { minLength: 1 }),
        ingress: fc.array(rule, { maxLength: parts.most.rules }),
        egress: fc.array(rule, { maxLength: parts.most.rules }),
      })
      .map((p) =>
        Policy.of({
          name: parts.name(i),
          namespace: p.namespace,
          podSelector: p.podSelector,
          policyTypes: p.types,
          ingress: p.types.includes(Direction.INGRESS) ? p.ingress : [],
          egress: p.types.includes(Direction.EGRESS) ? p.egress : [],
        }),
      );
}
