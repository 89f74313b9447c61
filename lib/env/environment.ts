/**
 * One deployment environment (dev, staging, prod): the parameters that differ between
 * clusters, loaded from a file and checked before any construct sees them, so that a typo in
 * a CIDR fails the synth with the file and key, not the API server with a line of YAML.
 */
import { IpBlock } from '../model/cidr';
import { DomainName } from '../model/domain-name';
import { NetpolError } from '../model/errors';
import { Peer } from '../model/peer';
import { readConfigMapDocument, ConfigMapOptions } from './configmap';
import { loadEnvironmentFile, loadEnvironmentFiles, withName } from './load-all';
import { setEnvironmentFactory } from './private/factory';
import { didYouMean } from './private/suggest';
import { oneLineWhenUncaught } from './private/uncaught';
import { formatPath } from './private/paths';
import type { ParsedEnvironment } from './schema';
import { parseEnvironment } from './private/parse-environment';
import { DatabaseParams, DnsSettings } from './settings';
import { readTerraformDocument, TerraformOptions } from './terraform';
import { addBrand, hasBrand } from '../model/brand';

/** One problem an extras schema found: where under `extras`, and what. */
export interface ExtrasIssue {
  /** Keys (strings) and list indexes (numbers) from `extras` down to the value. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema library's path fits (zod's may hold symbols)
  readonly path: any[];
  /** What is wrong, in the schema's words. */
  readonly message: string;
}

/** What an extras schema returns: the checked value, or the problems found. */
export interface ExtrasParseResult {
  /** True when the value passed the schema. */
  readonly success: boolean;
  /** The schema's output when `success`. */
  readonly data?: unknown;
  /** The problems found when not `success`. */
  readonly error?: ExtrasError;
}

/** The problems an extras schema found. */
export interface ExtrasError {
  /** One entry per problem. */
  readonly issues: ExtrasIssue[];
}

/**
 * A check of the free-form `extras` section. A zod schema (`z.object({...})`) is one: any object
 * with zod's `safeParse(value)` contract fits, so the library's declarations name no schema library.
 */
export interface IExtrasSchema {
  /** Checks `value` (the `extras` section, or undefined when the file has none) without throwing. */
  safeParse(value: unknown): ExtrasParseResult;
}

/** Options for loading an environment. */
export interface LoadOptions {
  /**
   * A schema for the free-form `extras` section (e.g. a zod schema); the loaded `extras` is its
   * output. Without it, a file that has `extras` is an error.
   * @default - no extras allowed
   */
  readonly extras?: IExtrasSchema;
  /**
   * Use this name instead of the document's `name` (it is checked the same way, as a safe
   * folder name).
   * @default - the `name` in the document
   */
  readonly name?: string;
}

const ENVIRONMENT_BRAND = Symbol.for('cdk8s-netpol.Environment');

/**
 * Typed, checked parameters of one environment: its name (which is also its output folder
 * `dist/<name>/`), cluster DNS settings, named CIDRs and databases outside the cluster, and named
 * lists of domain names for ClusterNetworkPolicy egress.
 *
 * @example
 * const env = Environment.load('examples/environments/prod.yaml');
 * tier.allowFrom(env.cidr('corporate'), Port.tcp(443));
 * const orders = env.database('orders'); // { cidrs: [10.20.0.0/24], ports: [TCP 5432] }
 */
export class Environment {
  static {
    setEnvironmentFactory((parsed, source) => new Environment(parsed, source));
  }

  /**
   * Loads an environment file, YAML or JSON (told apart by content). Throws one `NetpolError`
   * located at `file` that lists every problem in the file.
   *
   * A file that is the output of `terraform output -json`, or a ConfigMap manifest, is told
   * apart and the error says which loader reads it.
   *
   * @example
   * const schema = z.object({ team: z.string() });
   * const env = Environment.load('environments/prod.yaml', { extras: schema });
   * (env.extras as z.output<typeof schema>).team; // string
   */
  public static load(file: string, options: LoadOptions = {}): Environment {
    return oneLineWhenUncaught(() => loadEnvironmentFile(file, options));
  }

  /**
   * Loads the environment files at `paths` (a folder stands for its `*.yaml`, `*.yml` and
   * `*.json` files, sorted). Throws one `NetpolError` with every problem of every file, each
   * issue located at its file.
   *
   * @example
   * const envs = Environment.loadAll(['environments']); // dev, prod, staging
   */
  public static loadAll(paths: string[], options: LoadOptions = {}): Environment[] {
    return oneLineWhenUncaught(() => loadEnvironmentFiles(paths, options));
  }

  /**
   * Checks an environment document that is already parsed. `source` says where it came from
   * and locates the errors.
   */
  public static fromObject(data: unknown, source: string, options: LoadOptions = {}): Environment {
    return oneLineWhenUncaught(
      () => new Environment(parseEnvironment(withName(data, options.name), source, { extras: options.extras }), source),
    );
  }

  /**
   * Builds an environment from `terraform output -json`: from one output that holds the whole
   * document, from outputs mapped onto key paths, or from a base file with mapped outputs laid
   * over it (for CIDRs known only once the infrastructure exists).
   *
   * @example
   * Environment.fromTerraformOutput('tf-output.json', {
   *   base: 'environments/prod.yaml',
   *   map: { 'databases.orders.cidrs': 'orders_db_cidrs' },
   * });
   */
  public static fromTerraformOutput(file: string, options: TerraformOptions = {}): Environment {
    return oneLineWhenUncaught(() => {
      const doc = readTerraformDocument(file, options);
      return new Environment(
        parseEnvironment(withName(doc.data, options.name), doc.source, { extras: options.extras, annotate: doc.annotate }),
        doc.source,
      );
    });
  }

  /**
   * Reads the environment document from a ConfigMap manifest, where it is YAML text under
   * `data[key]`. A file with several documents is searched for the ConfigMap (by `name` when
   * given).
   *
   * @example
   * Environment.fromConfigMap('netpol-env.yaml', { name: 'netpol-prod', key: 'environment.yaml' });
   */
  public static fromConfigMap(file: string, options: ConfigMapOptions = {}): Environment {
    return oneLineWhenUncaught(() => {
      const doc = readConfigMapDocument(file, options);
      return new Environment(parseEnvironment(doc.data, doc.source, { extras: options.extras }), doc.source);
    });
  }

  /** Brand check that works across copies of the library. */
  public static isEnvironment(x: unknown): x is Environment {
    return hasBrand(x, ENVIRONMENT_BRAND);
  }

  /** The environment's name: a DNS-1123 label (a-z, 0-9, '-', 1-63 characters), used as the folder `dist/<name>/`. */
  public readonly name: string;
  /** Where the environment came from: a file path, or a description for Terraform and ConfigMap sources. */
  public readonly source: string;
  /** Cluster DNS settings, defaults filled in. */
  public readonly dns: DnsSettings;
  /**
   * The `extras` section as the schema given at load time returned it; undefined without a
   * schema. Typed `any`: give it your schema's type where you use it
   * (`env.extras as z.output<typeof schema>`).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema's output type is the caller's to give
  public readonly extras: any;
  private readonly cidrs: ReadonlyMap<string, IpBlock>;
  private readonly databases: ReadonlyMap<string, DatabaseParams>;
  private readonly domainLists: ReadonlyMap<string, readonly DomainName[]>;

  private constructor(parsed: ParsedEnvironment, source: string) {
    this.name = parsed.name;
    this.source = source;
    this.dns = parsed.dns;
    this.extras = parsed.extras;
    this.cidrs = parsed.cidrs;
    this.databases = parsed.databases;
    this.domainLists = parsed.domains;
    addBrand(this, ENVIRONMENT_BRAND);
  }

  /**
   * An ipBlock peer for `cidrs.<name>`. Throws `NetpolError` naming the defined CIDRs when
   * there is no such name.
   *
   * @example
   * wordpress.allowFrom(env.cidr('corporate'), Port.tcp(443));
   */
  public cidr(name: string): Peer {
    return Peer.fromIpBlock(this.ipBlock(name));
  }

  /** The block defined at `cidrs.<name>`. Throws `NetpolError` when there is no such name. */
  public ipBlock(name: string): IpBlock {
    const b = this.cidrs.get(name);
    if (b === undefined) throw this.notFound('cidrs', 'CIDR', name, this.cidrNames());
    return b;
  }

  /** The names under `cidrs`, sorted. */
  public cidrNames(): string[] {
    return [...this.cidrs.keys()];
  }

  /** The database defined at `databases.<name>`. Throws `NetpolError` when there is no such name. */
  public database(name: string): DatabaseParams {
    const d = this.databases.get(name);
    if (d === undefined) throw this.notFound('databases', 'database', name, this.databaseNames());
    return d;
  }

  /** The names under `databases`, sorted. */
  public databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  /**
   * The domain names defined at `domains.<name>` (`domains: { stripe: [api.stripe.com] }`), for
   * ClusterNetworkPolicy egress peers. Throws `NetpolError` naming the defined lists when there
   * is no such name.
   *
   * @example
   * new AllowDomains(chart, 'allow-stripe', { domains: env.domains('stripe') });
   */
  public domains(name: string): DomainName[] {
    const d = this.domainLists.get(name);
    if (d === undefined) throw this.notFound('domains', 'domain list', name, this.domainListNames());
    return [...d];
  }

  /** The names under `domains`, sorted. */
  public domainListNames(): string[] {
    return [...this.domainLists.keys()];
  }

  /** `Environment prod (examples/environments/prod.yaml)`. */
  public toString(): string {
    return `Environment ${this.name} (${this.source})`;
  }

  private notFound(section: string, what: string, name: string, defined: string[]): NetpolError {
    const known =
      defined.length > 0
        ? `it defines ${defined.join(', ')}.${didYouMean(name, defined)} Use one of these names, or add "${name}" under ${section} in the file`
        : `it defines no ${section}; add "${name}" under ${section} in the file`;
    return new NetpolError(
      [
        {
          code: 'env.not-found',
          path: formatPath([section, name]),
          message: `no ${what} named "${name}" in environment "${this.name}"; ${known}`,
        },
      ],
      this.source,
    );
  }
}
