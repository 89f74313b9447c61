/**
 * `ExternalDatabase`: a service outside the cluster (a managed database, a legacy host) that
 * pods reach by address. NetworkPolicy matches it with an ipBlock egress rule.
 */
import { Construct } from 'constructs';
import { IpBlock } from '../model/cidr';
import { Peer } from '../model/peer';
import { Port } from '../model/port';
import { deferErrors } from './private/errors';
import { checkProps, refuse } from '../model/private/args';
import { addBrand, hasBrand } from '../model/brand';

/** Properties of `ExternalDatabase`; an environment's `database(name)` fits as is. */
export interface ExternalDatabaseProps {
  /**
   * Address ranges of the service, IPv4 or IPv6 (`10.20.0.0/24`, a single host as `/32` or
   * `/128`). Hostnames are refused: NetworkPolicy cannot match DNS names.
   */
  readonly cidrs: (string | IpBlock)[];
  /** Ports the service listens on, e.g. `[Port.tcp(5432)]`. */
  readonly ports: Port[];
}

/**
 * A service outside the cluster. `tier.allowTo(db)` writes an egress rule with one ipBlock per
 * CIDR on the database's ports; there is no ingress side to write.
 *
 * @example
 * const orders = new ExternalDatabase(chart, 'orders', env.database('orders'));
 * backend.allowTo(orders);
 */
export class ExternalDatabase extends Construct {
  /** Brand check that works across copies of the library. */
  public static isExternalDatabase(x: unknown): x is ExternalDatabase {
    return hasBrand(x, BRAND);
  }

  /** The address blocks. Frozen: they never change. */
  public readonly blocks: IpBlock[];
  /** The ports. Frozen: they never change. */
  public readonly ports: Port[];

  constructor(scope: Construct, id: string, props: ExternalDatabaseProps) {
    super(scope, id);
    addBrand(this, BRAND);
    checkProps('ExternalDatabase', props, false, this.node.path);
    if (!Array.isArray(props.cidrs))
      refuse('ExternalDatabase', 'cidrs', "an array of CIDRs such as ['10.20.0.0/24']", props.cidrs, this.node.path);
    if (!Array.isArray(props.ports))
      refuse('ExternalDatabase', 'ports', 'an array of Ports such as [Port.tcp(5432)]', props.ports, this.node.path);
    props.cidrs.forEach((c: unknown, i) => {
      if (typeof c !== 'string' && !(c instanceof IpBlock))
        refuse('ExternalDatabase', `cidrs[${i}]`, "a CIDR such as '10.20.0.0/24' or an IpBlock", c, this.node.path);
    });
    props.ports.forEach((p: unknown, i) => {
      if (!Port.isPort(p)) refuse('ExternalDatabase', `ports[${i}]`, 'a Port such as Port.tcp(5432)', p, this.node.path);
    });
    const blocks: IpBlock[] = [];
    props.cidrs.forEach((c, i) => {
      const b = deferErrors(this, `cidrs[${i}]`, () => (typeof c === 'string' ? IpBlock.of(c) : c));
      if (b) blocks.push(b);
    });
    if (props.cidrs.length === 0)
      this.node.addValidation({ validate: () => ['cidrs: an external database needs at least one CIDR, e.g. "10.20.0.0/24"'] });
    if (props.ports.length === 0)
      this.node.addValidation({ validate: () => ['ports: an external database needs at least one port, e.g. Port.tcp(5432)'] });
    this.blocks = Object.freeze(blocks) as IpBlock[];
    this.ports = Object.freeze([...props.ports]) as Port[];
  }

  /** The ipBlock peers of the database. */
  public get peers(): Peer[] {
    return this.blocks.map((b) => Peer.fromIpBlock(b));
  }
}

const BRAND = Symbol.for('cdk8s-netpol.ExternalDatabase');
