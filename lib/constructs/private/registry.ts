/**
 * What the constructs of one App need to know of each other: which namespaces a `DefaultDeny`
 * isolates, and the name of every policy object, to refuse two objects with one name. The registry hangs
 * off the App's root node, so it needs no global state and each App has its own.
 */
import { Construct, IConstruct } from 'constructs';
import { Direction } from '../../model/rule';

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

  private readonly isolation = new Map<string, Set<Direction>>();
  private readonly objects = new Map<string, IConstruct>();
  private readonly tierSelectors = new Map<string, IConstruct>();
  private readonly listeners = new Map<string, Array<() => void>>();

  /** Calls `listener` whenever a DefaultDeny isolates `namespace` further. */
  public onIsolate(namespace: string, listener: () => void): void {
    let list = this.listeners.get(namespace);
    if (!list) this.listeners.set(namespace, (list = []));
    list.push(listener);
  }

  /** Records that `namespace` is isolated in `directions` (by a DefaultDeny). */
  public isolate(namespace: string, directions: readonly Direction[]): void {
    let set = this.isolation.get(namespace);
    if (!set) this.isolation.set(namespace, (set = new Set()));
    for (const d of directions) set.add(d);
    for (const l of this.listeners.get(namespace) ?? []) l();
  }

  /** True if a DefaultDeny of this App isolates `namespace` in `direction`. */
  public isIsolated(namespace: string, direction: Direction): boolean {
    return this.isolation.get(namespace)?.has(direction) ?? false;
  }

  /**
   * Records the NetworkPolicy object `namespace/name` of `construct`. Two objects with one
   * namespace and name would overwrite each other when applied: the second is a validation
   * error of its construct.
   */
  public registerObject(construct: IConstruct, namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const first = this.objects.get(key);
    if (!first) {
      this.objects.set(key, construct);
      return;
    }
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
    const key = `${namespace}\0${selector}`;
    const first = this.tierSelectors.get(key);
    if (!first) {
      this.tierSelectors.set(key, construct);
      return;
    }
    construct.node.addValidation({
      validate: () => [`selects the same pods as ${first.node.path} (${selector === '*' ? 'every pod' : selector} in namespace ${namespace}); use one Tier for them and make all its statements on it`],
    });
  }
}
