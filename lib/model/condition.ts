/**
 * What a verdict can depend on. An analysis over manifests or a chart knows some facts and not
 * others: a namespace without a Namespace object has labels nobody wrote down, a Deployment's
 * pods have IPs only once they run. Where a connection's fate turns on such a fact, the answer
 * is neither "allowed" nor "denied" but "allowed if …", and the condition says exactly what.
 *
 * Facts are about one end of a connection (`source` or `destination`), not about a named pod,
 * so that one condition holds for every pair of pods the analysis treats alike. Container port
 * names, the third unknown, belong to the ports of a verdict (see `Reach`), since a name does not
 * only decide whether a connection gets through but also on which port.
 */
import { AddressSet } from './address-set';
import { NetpolError } from './errors';
import { LabelSelector, allOfSelectors, representativeLabels } from './selector';

/** Which end of a connection a fact is about. */
export type End = 'source' | 'destination';

/** The labels of the end's namespace are unknown; the fact is that `selector` matches them. */
export interface NamespaceLabelsFact {
  readonly kind: 'namespace-labels';
  readonly end: End;
  /** The namespace selector the labels must match. */
  readonly selector: LabelSelector;
}

/** The end's pod IP is unknown; the fact is that it lies in `addresses`. */
export interface PodIpFact {
  readonly kind: 'pod-ip';
  readonly end: End;
  /** The addresses the pod IP must lie in (never empty). */
  readonly addresses: AddressSet;
}

/**
 * Something no manifest can tell, stated as what must be so for the connection to be allowed:
 * which of two ClusterNetworkPolicies of one priority a network plugin applies first (the API
 * leaves it undefined), which addresses a domain name resolves to, the labels of a namespace or
 * the number of a named port that a ClusterNetworkPolicy rule turns on. Its text is the whole
 * fact (`api.example.com resolves outside 10.0.0.0/8`); `end` is always `source`.
 */
export interface ChoiceFact {
  /** Tells the kinds of fact apart. */
  readonly kind: 'choice';
  /** Always `source`: the fact is about the connection, not one end. */
  readonly end: End;
  /** The fact, e.g. `the network plugin applies Admin policy a before b (both priority 10)`. */
  readonly text: string;
}

/** One unknown fact a verdict can depend on. */
export type Fact = NamespaceLabelsFact | PodIpFact | ChoiceFact;

/** The phrasings of choice facts, which `Condition.parse` recognizes. */
const CHOICE_TEXT = /^(the network plugin applies .+|.+ resolves (inside|outside) .+|the (source|destination)'s .+)$/;

/** How a pair-level message names the two ends (see `Condition.describe`). */
export interface EndNames {
  /** The source's name, e.g. `shop/web` or an address. */
  readonly source: string;
  /** The source's namespace, when it is a pod. @default - not a pod */
  readonly sourceNamespace?: string;
  /** The destination's name. */
  readonly destination: string;
  /** The destination's namespace, when it is a pod. @default - not a pod */
  readonly destinationNamespace?: string;
}

/**
 * A conjunction of unknown facts: "the source's IP lies in 10.0.0.0/8 and the destination's
 * namespace matches team=a". Immutable and canonical: per end, at most one address fact (two
 * are intersected) and the namespace selectors sorted and without repeats, so equal conditions
 * have equal keys. `Condition.ALWAYS`, without facts, holds always.
 *
 * @example
 * Condition.podIp('source', AddressSet.parse('10.0.0.0/8')).toString(); // 'source IP in 10.0.0.0/8'
 */
export class Condition {
  /** The condition without facts: it always holds. */
  public static readonly ALWAYS = new Condition([]);

  /** The labels of the end's namespace match `selector`. */
  public static namespaceLabels(end: End, selector: LabelSelector): Condition {
    return new Condition([{ kind: 'namespace-labels', end, selector }]);
  }

  /**
   * The end's pod IP lies in `addresses`. Throws `NetpolError` for the empty set, which no IP
   * lies in (a caller knows that answer: no).
   */
  public static podIp(end: End, addresses: AddressSet): Condition {
    if (addresses.isEmpty) throw NetpolError.ofValue('condition.empty', 'a pod IP condition needs at least one address');
    return new Condition([{ kind: 'pod-ip', end, addresses }]);
  }

  /**
   * A fact no manifest can tell (see `ChoiceFact`), as a full sentence without ` and `. Throws
   * `NetpolError` for an empty text or one holding ` and `.
   */
  public static choice(text: string): Condition {
    if (text.trim() === '' || /\sand\s/.test(text)) {
      throw NetpolError.ofValue('condition.choice', `"${text}" cannot be a fact: it must be one clause, without " and "`);
    }
    return new Condition([{ kind: 'choice', end: 'source', text }]);
  }

  /**
   * Reads a condition as `toString()` writes it: facts joined by ` and `, each
   * `source IP in <addresses>` or `destination namespace matches <selector>` (the selector in
   * `LabelSelector.parse` form). Throws `NetpolError` saying what is wrong.
   */
  public static parse(text: string): Condition {
    let out: Condition | undefined = Condition.ALWAYS;
    for (const part of text.split(/\s+and\s+/)) {
      if (CHOICE_TEXT.test(part.trim())) {
        out = out?.and(Condition.choice(part.trim()));
        continue;
      }
      const m = /^\s*(source|destination)\s+(IP\s+in|namespace\s+matches)\s+(.+?)\s*$/i.exec(part);
      if (!m) {
        throw NetpolError.ofValue(
          'condition.syntax',
          `"${part.trim()}" is not a condition; write "source IP in 10.0.0.0/8" or "destination namespace matches team=a", joined by "and"`,
        );
      }
      const end = m[1].toLowerCase() as End;
      const fact = /^ip/i.test(m[2])
        ? Condition.podIp(
            end,
            m[3]
              .split(';')
              .map((t) => AddressSet.parse(t))
              .reduce((a, b) => a.union(b)),
          )
        : Condition.namespaceLabels(end, LabelSelector.parse(m[3]));
      out = out?.and(fact);
    }
    if (!out) throw NetpolError.ofValue('condition.contradiction', `"${text}" can never hold: its facts contradict each other`);
    return out;
  }

  /** The facts, sources first, each end's namespace facts before its address fact. */
  public readonly facts: readonly Fact[];
  /** A canonical string: equal conditions have equal keys. */
  public readonly key: string;

  private constructor(facts: readonly Fact[]) {
    this.facts = facts;
    this.key = facts.map(factText).join(' and ');
  }

  /** True for the condition without facts. */
  public get isAlways(): boolean {
    return this.facts.length === 0;
  }

  /**
   * Both conditions, or undefined when they cannot both hold (the IPs of one end in disjoint
   * sets, or label requirements of one namespace that no labels meet).
   */
  public and(other: Condition): Condition | undefined {
    if (other.isAlways || other === this) return this;
    if (this.isAlways) return other;
    const facts: Fact[] = [];
    for (const end of ['source', 'destination'] as const) {
      const mine = [...this.facts, ...other.facts].filter((f) => f.end === end);
      const selectors = new Map<string, LabelSelector>();
      const choices = new Set<string>();
      let addresses: AddressSet | undefined;
      for (const f of mine) {
        if (f.kind === 'namespace-labels') selectors.set(f.selector.toString(), f.selector);
        else if (f.kind === 'choice') choices.add(f.text);
        else addresses = addresses ? addresses.intersect(f.addresses) : f.addresses;
      }
      if (addresses?.isEmpty) return undefined;
      const sorted = [...selectors.keys()].sort().map((k) => selectors.get(k)!);
      if (sorted.length > 1 && representativeLabels(allOfSelectors(sorted)) === undefined) return undefined;
      facts.push(...sorted.map((selector): Fact => ({ kind: 'namespace-labels', end, selector })));
      if (addresses) facts.push({ kind: 'pod-ip', end, addresses });
      facts.push(...[...choices].sort().map((t): Fact => ({ kind: 'choice', end, text: t })));
    }
    return new Condition(facts);
  }

  /** True if this condition holding means `other` holds too (every fact of `other` follows from one of this). */
  public implies(other: Condition): boolean {
    return other.facts.every((o) =>
      this.facts.some((f) => {
        if (f.end !== o.end || f.kind !== o.kind) return false;
        if (f.kind === 'pod-ip') return (o as PodIpFact).addresses.containsAll(f.addresses);
        if (f.kind === 'choice') return f.text === (o as ChoiceFact).text;
        return f.selector.equals((o as NamespaceLabelsFact).selector);
      }),
    );
  }

  /**
   * The condition for two ends in one namespace: facts about the destination's namespace are
   * facts about the source's, so requirements that no labels meet together make it
   * impossible (undefined).
   */
  public sharedNamespace(): Condition | undefined {
    if (!this.facts.some((f) => f.kind === 'namespace-labels' && f.end === 'destination')) return this;
    let out: Condition | undefined = Condition.ALWAYS;
    for (const f of this.facts) {
      const fact =
        f.kind === 'namespace-labels'
          ? Condition.namespaceLabels('source', f.selector)
          : f.kind === 'choice'
            ? new Condition([f])
            : Condition.podIp(f.end, f.addresses);
      out = out?.and(fact);
    }
    return out;
  }

  /**
   * The same condition without the address fact of one end, and that fact's addresses
   * (undefined when there is none).
   */
  public withoutPodIp(end: End): { rest: Condition; addresses?: AddressSet } {
    const fact = this.facts.find((f): f is PodIpFact => f.kind === 'pod-ip' && f.end === end);
    if (!fact) return { rest: this };
    return { rest: new Condition(this.facts.filter((f) => f !== fact)), addresses: fact.addresses };
  }

  /** The same facts with source and destination swapped. */
  public swapEnds(): Condition {
    let out: Condition | undefined = Condition.ALWAYS;
    for (const f of this.facts) {
      const end: End = f.end === 'source' ? 'destination' : 'source';
      if (f.kind === 'choice') {
        out = out?.and(new Condition([f]));
        continue;
      }
      out = out?.and(f.kind === 'pod-ip' ? Condition.podIp(end, f.addresses) : Condition.namespaceLabels(end, f.selector));
    }
    return out!;
  }

  /**
   * The condition for people, about two named ends: `the labels of namespace shop match
   * team=a and the IP of shop/web lies in 10.0.0.0/8`. Empty for `ALWAYS`.
   */
  public describe(names: EndNames): string {
    return this.facts
      .map((f) => {
        const who = f.end === 'source' ? names.source : names.destination;
        const ns = f.end === 'source' ? names.sourceNamespace : names.destinationNamespace;
        if (f.kind === 'choice') return f.text;
        return f.kind === 'pod-ip' ? `the IP of ${who} lies in ${f.addresses}` : `the labels of namespace ${ns ?? who} match ${f.selector}`;
      })
      .join(' and ');
  }

  /** `source IP in 10.0.0.0/8 and destination namespace matches team=a`; empty for `ALWAYS`. */
  public toString(): string {
    return this.key;
  }
}

function factText(f: Fact): string {
  if (f.kind === 'choice') return f.text;
  return f.kind === 'pod-ip' ? `${f.end} IP in ${f.addresses}` : `${f.end} namespace matches ${f.selector}`;
}
