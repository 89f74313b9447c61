/**
 * What one end's policies allow for one pair of classes, worked out from their rules on demand:
 * the value of one cell of the rows (see rows.ts) without building every row. The rows cost
 * rows × columns however few pairs are asked about; this costs the rules of the policies that
 * isolate the one end.
 */
import { portsKnown, resolvePort } from '../../model/cluster';
import { Condition } from '../../model/condition';
import { Policy } from '../../model/policy';
import { Reach } from '../../model/reach';
import { Direction, Rule } from '../../model/rule';
import { Bitset } from './bitset';
import { RowInput } from './rows';
import { SetTable } from './set-table';

/** A rule with the workloads its peers match for sure, and on a condition. */
interface MatchedRule {
  readonly rule: Rule;
  /** The set id of the ports it allows when they do not depend on the destination (no named port), else -1. */
  readonly fixed: number;
  /** With named ports: the set id per destination class asked about. */
  named?: Map<number, number>;
  /** Its port entries as text, which with the values named ports take decides its ports. */
  readonly portsText: string;
  readonly sure: Bitset;
  readonly maybe: ReadonlyArray<{ readonly set: Bitset; readonly condition: Condition }>;
}

/** One end's answers per pair of classes, from the rules of the policies isolating that end. */
export class PairSides {
  private readonly isolating: Partial<Record<Direction, Policy[][]>> = {};
  private readonly matched: Record<Direction, Map<Policy, MatchedRule[]>> = {
    [Direction.INGRESS]: new Map(),
    [Direction.EGRESS]: new Map(),
  };
  /** `Reach.forSharedNamespace` of the sets asked about, by set id. */
  private readonly shared = new Map<number, Reach>();
  /** Set ids of the ports of rules, by their port entries and the values named ports take. */
  private readonly portSets = new Map<string, number>();

  constructor(private readonly input: RowInput) {}

  /**
   * For `Direction.EGRESS`, what class `from`'s egress policies allow toward class `to`; for
   * `Direction.INGRESS`, what class `to`'s ingress policies admit from class `from`. All when
   * that end is not isolated. Workloads of one class are alike for every rule, so the first of
   * each class answers for it, as in the rows; sets are interned in the rows' table.
   */
  public reach(direction: Direction, from: number, to: number): Reach {
    return this.input.table.get(this.reachId(direction, from, to));
  }

  /** `reach` between two workloads of one namespace (`Reach.forSharedNamespace`), worked out once per set. */
  public reachInNamespace(direction: Direction, from: number, to: number): Reach {
    const id = this.reachId(direction, from, to);
    let reach = this.shared.get(id);
    if (!reach) this.shared.set(id, (reach = this.input.table.get(id).forSharedNamespace()));
    return reach;
  }

  /** The set id of `reach`. */
  private reachId(direction: Direction, from: number, to: number): number {
    const egress = direction === Direction.EGRESS;
    const policies = this.isolatingOf(direction)[egress ? from : to];
    const table = this.input.table;
    if (policies.length === 0) return SetTable.ALL;
    const other = this.input.partition.representatives[egress ? to : from];
    let id = SetTable.NONE;
    for (const p of policies) {
      for (const m of this.matchedRules(p, direction)) {
        if (m.sure.has(other)) id = table.union(id, this.ports(m, to));
        else for (const x of m.maybe) if (x.set.has(other)) id = table.union(id, table.when(this.ports(m, to), x.condition));
      }
    }
    return id;
  }

  /** The set id of the ports a rule allows toward destination class `to`. */
  private ports(m: MatchedRule, to: number): number {
    if (m.fixed >= 0) return m.fixed;
    const { workloads, partition, table } = this.input;
    m.named ??= new Map();
    let id = m.named.get(to) ?? -1;
    if (id < 0) {
      // Destinations whose named ports resolve alike get one set, worked out once.
      const w = workloads[partition.representatives[to]];
      const known = portsKnown(w);
      const signature = m.rule.ports
        .map((port) => (typeof port.port !== 'string' ? '' : known ? (resolvePort(w, port.port, port.protocol) ?? '-') : '?'))
        .join(',');
      const key = `${m.portsText}#${signature}`;
      id = this.portSets.get(key) ?? -1;
      if (id < 0) this.portSets.set(key, (id = table.intern(m.rule.portReach(w))));
      m.named.set(to, id);
    }
    return id;
  }

  /** The set id of the ports of a rule without named ports. */
  private fixedPorts(rule: Rule, portsText: string): number {
    let id = this.portSets.get(portsText);
    if (id === undefined) this.portSets.set(portsText, (id = this.input.table.intern(rule.portReach(undefined))));
    return id;
  }

  /** The policies isolating each class in a direction, in the order of the policies. */
  private isolatingOf(direction: Direction): Policy[][] {
    let lists = this.isolating[direction];
    if (!lists) {
      const { policies, subjects, partition } = this.input;
      const { classOf, representatives } = partition;
      const out: Policy[][] = representatives.map(() => []);
      policies.forEach((p, pi) => {
        if (!p.policyTypes.includes(direction)) return;
        subjects[pi].forEach((w) => {
          const c = classOf[w];
          if (representatives[c] === w) out[c].push(p);
        });
      });
      this.isolating[direction] = lists = out;
    }
    return lists;
  }

  /** A policy's rules of a direction with what their peers match, remembered per policy. */
  private matchedRules(p: Policy, direction: Direction): MatchedRule[] {
    let rules = this.matched[direction].get(p);
    if (!rules) {
      const { selection } = this.input;
      const end = direction === Direction.INGRESS ? 'source' : 'destination';
      rules = p.rules(direction).map((rule) => {
        const portsText = rule.ports.join(',');
        const fixed = rule.hasNamedPorts ? -1 : this.fixedPorts(rule, portsText);
        if (rule.anyPeer) return { rule, fixed, portsText, sure: selection.all, maybe: [] };
        const sure = Bitset.empty(this.input.workloads.length);
        const maybe: Array<{ set: Bitset; condition: Condition }> = [];
        for (const peer of rule.peers) {
          const s = selection.peer(peer, p.namespace, end);
          sure.orInPlace(s.yes);
          if (s.maybe !== selection.none) maybe.push({ set: s.maybe, condition: s.condition });
        }
        return { rule, fixed, portsText, sure, maybe };
      });
      this.matched[direction].set(p, rules);
    }
    return rules;
  }
}
