/**
 * What the constructs of one App need to know of each other: which pods a policy of the App
 * isolates in which direction (so that tiers write their side of a statement where it is
 * needed), and the name of every policy object, to refuse two objects with one name. The
 * registry hangs off the App's root node, so it needs no global state and each App has its own.
 */
import { Construct, IConstruct } from 'constructs';
import { Direction } from '../../model/rule';
import { LabelSelector, SelectorOperator } from '../../model/selector';

const REGISTRY = Symbol.for('cdk8s-netpol.registry');

/** @internal */
export class AppRegistry {
  /** The registry of the App (root construct) that `scope` belongs to. */
  public static of(scope: IConstruct): AppRegistry {
    const root = scope.node.root as Construct & { [REGISTRY]?: AppRegistry };
    if (!root[REGISTRY]) {
      const registry = new AppRegistry();
      Object.defineProperty(root, REGISTRY, { value: registry });
    }
    return root[REGISTRY]!;
  }

  /** Namespaces whose every pod is isolated, per direction. */
  private readonly isolation = new Map<string, Set<Direction>>();
  /** Narrower isolating selectors (few: those of DNS allowances for some pods), per namespace and direction. */
  private readonly partial = new Map<string, LabelSelector[]>();
  /** Per namespace, the construct of each object name (keyed by strings the constructs hold anyway). */
  private readonly objects = new Map<string, Map<string, IConstruct>>();
  /** Per namespace, the tier of each pod selector, by its text. */
  private readonly tierSelectors = new Map<string, Map<string, IConstruct>>();
  /** Per namespace, what to call with which construct (one function for many constructs, no closure each). */
  private readonly listeners = new Map<string, { targets: IConstruct[]; calls: Array<(target: IConstruct) => void> }>();

  /** Calls `listener(target)` whenever a policy of the App isolates pods of `namespace` further. */
  public onIsolate<T extends IConstruct>(namespace: string, target: T, listener: (target: T) => void): void {
    let list = this.listeners.get(namespace);
    if (!list) this.listeners.set(namespace, (list = { targets: [], calls: [] }));
    list.targets.push(target);
    list.calls.push(listener as (target: IConstruct) => void);
  }

  /**
   * Records that a policy isolates the pods of `namespace` that `selector` selects (every pod
   * by default) in `directions`.
   */
  public isolate(namespace: string, directions: readonly Direction[], selector: LabelSelector = LabelSelector.all()): void {
    if (selector.isEmpty) {
      let set = this.isolation.get(namespace);
      if (!set) this.isolation.set(namespace, (set = new Set()));
      for (const d of directions) set.add(d);
    } else {
      for (const d of directions) {
        const key = `${namespace}\0${d}`;
        const list = this.partial.get(key) ?? [];
        if (!list.some((s) => s.isEqualTo(selector))) list.push(selector);
        this.partial.set(key, list);
      }
    }
    const list = this.listeners.get(namespace);
    if (list) for (let i = 0; i < list.targets.length; i++) list.calls[i](list.targets[i]);
  }

  /**
   * True if a policy of this App isolates, in `direction`, every pod of `namespace` that
   * `pods` selects. Conservative: a recorded selector counts when `pods` clearly implies it.
   */
  public isIsolated(namespace: string, direction: Direction, pods: LabelSelector): boolean {
    if (this.isolation.get(namespace)?.has(direction)) return true;
    return (this.partial.get(`${namespace}\0${direction}`) ?? []).some((s) => implies(pods, s));
  }

  /**
   * Records the NetworkPolicy object `namespace/name` of `construct`. Two objects with one
   * namespace and name would overwrite each other when applied: the second is a validation
   * error of its construct.
   */
  public registerObject(construct: IConstruct, namespace: string, name: string): void {
    const first = firstOrAdd(this.objects, namespace, name, construct);
    if (!first) return;
    const key = `${namespace}/${name}`;
    construct.node.addValidation({
      validate: () => [`NetworkPolicy "${key}" is also defined by ${first.node.path}; give one of them another id or a \`policyName\``],
    });
  }

  /**
   * Records the pod selector of a tier. Two tiers of one namespace with the same selector are
   * the same pods under two names, whose rules would be split over two policies: the second is
   * a validation error of its construct.
   */
  public registerTierSelector(construct: IConstruct, namespace: string, selector: string): void {
    const first = firstOrAdd(this.tierSelectors, namespace, selector, construct);
    if (!first) return;
    construct.node.addValidation({
      validate: () => [
        `selects the same pods as ${first.node.path} (${selector === '*' ? 'every pod' : selector} in ` +
          `namespace ${namespace}); use one Tier for them and make all its statements on it`,
      ],
    });
  }
}

/** The construct registered under `namespace` and `key`, or undefined after registering `construct` there. */
function firstOrAdd(
  byNamespace: Map<string, Map<string, IConstruct>>,
  namespace: string,
  key: string,
  construct: IConstruct,
): IConstruct | undefined {
  let byKey = byNamespace.get(namespace);
  if (!byKey) byNamespace.set(namespace, (byKey = new Map()));
  const first = byKey.get(key);
  if (!first) byKey.set(key, construct);
  return first;
}

/** True if every label set that `sub` selects is selected by `sup` (checked conservatively). */
function implies(sub: LabelSelector, sup: LabelSelector): boolean {
  for (const [k, v] of Object.entries(sup.matchLabels)) {
    if (sub.matchLabels[k] !== v) return false;
  }
  return sup.matchExpressions.every((x) => {
    const has = sub.matchLabels[x.key];
    if (x.operator === SelectorOperator.EXISTS && has !== undefined) return true;
    if (x.operator === SelectorOperator.IN && has !== undefined && (x.values ?? []).includes(has)) return true;
    return sub.matchExpressions.some(
      (y) => y.key === x.key && y.operator === x.operator && JSON.stringify(y.values ?? []) === JSON.stringify(x.values ?? []),
    );
  });
}
