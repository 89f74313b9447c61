/**
 * NP005: an ipBlock that overlaps the cluster's pod or service address ranges.
 */
import { Cidr, IpBlock } from '../../../model/cidr';
import { listText, peerPath, policyObject, rulesOf } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP005 ipblock-in-cluster. */
export const NP005: LintRule = {
  id: 'NP005',
  name: 'ipblock-in-cluster',
  severity: 'warning',
  cause: "An ipBlock overlaps the cluster's pod or service address ranges.",
  explanation:
    'ipBlock is meant for addresses outside the cluster. Pod IPs change whenever a pod is rescheduled, ' +
    'and whether an ipBlock matches pod traffic at all depends on the network plugin; ' +
    'service IPs are translated to pod IPs before policies apply, so a block of service addresses ' +
    'matches nothing. Select pods with podSelector and namespaceSelector instead. ' +
    'Runs when the pod or service CIDRs are given (--pod-cidr, --service-cidr); blocks of the whole address space (0.0.0.0/0, ::/0) are not reported.',
  fix: "Select the pods with podSelector/namespaceSelector, or add the cluster range to the ipBlock's except list.",
  check(ctx) {
    const ranges = [
      ...ctx.options.podCidrs.map((c) => ({ cidr: c, what: 'pod' })),
      ...ctx.options.serviceCidrs.map((c) => ({ cidr: c, what: 'service' })),
    ];
    if (ranges.length === 0) return [];
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      for (const { direction, index, rule } of rulesOf(p)) {
        rule.peers.forEach((peer, j) => {
          const block = peer.ipBlock;
          if (!block || block.cidr.prefix === 0) return;
          const hits = ranges.filter((r) => overlaps(block, r.cidr));
          if (hits.length === 0) return;
          const names = hits.map((h) => `the ${h.what} CIDR ${h.cidr}`);
          out.push({
            object: policyObject(p),
            path: `${peerPath(direction, index, j)}.ipBlock.cidr`,
            message:
              `ipBlock ${block} overlaps ${listText(names)}; ipBlock is for addresses outside the cluster, and ` +
              `pod and service addresses are not matched reliably`,
            fix: hits.every((h) => block.cidr.strictlyContains(h.cidr))
              ? `select those pods with podSelector/namespaceSelector, or add ${listText(hits.map((h) => String(h.cidr)))} to the ipBlock's except list`
              : 'select those pods with podSelector/namespaceSelector instead of their addresses',
          });
        });
      }
    }
    return out;
  },
};

/** True if an address of the block (its CIDR minus its excepts) lies in `cidr`. */
function overlaps(block: IpBlock, cidr: Cidr): boolean {
  if (block.cidr.family !== cidr.family) return false;
  return block.ranges().some(([a, b]) => a <= cidr.last && b >= cidr.first);
}
