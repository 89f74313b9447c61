/**
 * `AllowMonitoring`: the monitoring namespace reaches every pod's metrics port, whatever the
 * namespace owners' NetworkPolicies say. Both ends are written, as a connection needs both.
 */
import { Construct } from 'constructs';
import { ClusterPeer } from '../model/cluster-peer';
import { ClusterTier } from '../model/cluster-policy';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { toDnsLabel } from '../model/names';
import { Port } from '../model/port';
import { LabelSelector, Labels } from '../model/selector';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { splitPorts, subjectAsPeer } from './private/cluster-values';
import { deferErrors } from './private/errors';

/** Properties of `AllowMonitoring`. */
export interface AllowMonitoringProps {
  /** The namespace the monitoring (Prometheus, an agent) runs in. */
  readonly namespace: string;
  /** Its pods that scrape. @default - every pod of the namespace */
  readonly pods?: Labels | LabelSelector;
  /** The metrics ports by number, e.g. `Port.tcp(9090)`. @default - none; give ports or namedPorts */
  readonly ports?: Port[];
  /** The metrics ports by container port name, e.g. `metrics`. @default - none; give ports or namedPorts */
  readonly namedPorts?: string[];
  /** The pods to scrape. @default - every pod */
  readonly targets?: ClusterSubject;
  /** Priority of both policies. @default - allocated in creation order (see `ClusterNetworkPolicyProps.priority`) */
  readonly priority?: number;
  /** Name of the ingress policy; the egress one gets `-egress` appended. @default - the construct id in DNS-1123 form */
  readonly policyName?: string;
}

/**
 * Two Admin tier ClusterNetworkPolicies: one accepts ingress to the targets from the monitoring
 * pods on the metrics ports, the other accepts the monitoring pods' egress to the targets on
 * those ports, so that neither end's NetworkPolicies can block scraping. Other ports stay with
 * the namespace owners.
 *
 * @example
 * new AllowMonitoring(chart, 'allow-monitoring', { namespace: 'monitoring', namedPorts: ['metrics'] });
 */
export class AllowMonitoring extends Construct {
  /** The policy that accepts ingress to the targets. */
  public readonly policy: ClusterNetworkPolicy;
  /** The policy that accepts the monitoring pods' egress. */
  public readonly egressPolicy: ClusterNetworkPolicy;

  constructor(scope: Construct, id: string, props: AllowMonitoringProps) {
    super(scope, id);
    const given = props.pods;
    const pods =
      given === undefined ? undefined : deferErrors(this, 'pods', () => (given instanceof LabelSelector ? given : LabelSelector.of(given)));
    const monitoring =
      deferErrors(this, 'namespace', () =>
        pods ? ClusterSubject.podsInNamespace(props.namespace, pods) : ClusterSubject.namespace(props.namespace),
      ) ?? ClusterSubject.allPods();
    const named = splitPorts(props.ports ?? []);
    const ports = named.ports;
    const namedPorts = [...named.namedPorts, ...(props.namedPorts ?? [])];
    if (ports.length + namedPorts.length === 0) {
      this.node.addValidation({
        validate: () => [
          "ports: give the metrics ports: ports: [Port.tcp(9090)] or namedPorts: ['metrics']; without them every port would be open",
        ],
      });
    }
    const targets = props.targets ?? ClusterSubject.allPods();
    const name = props.policyName ?? toDnsLabel(id) ?? id;
    const rule = (peer: ClusterPeer) =>
      deferErrors(this, 'ports', () => ClusterRule.accept([peer], { ports, namedPorts, name: 'allow-monitoring' }));
    const ingress = rule(subjectAsPeer(monitoring));
    const egress = rule(subjectAsPeer(targets));
    this.policy = new ClusterNetworkPolicy(this, 'Policy', {
      tier: ClusterTier.ADMIN,
      subject: targets,
      priority: props.priority,
      policyName: name,
      ingress: ingress ? [ingress] : [],
    });
    this.egressPolicy = new ClusterNetworkPolicy(this, 'EgressPolicy', {
      tier: ClusterTier.ADMIN,
      subject: monitoring,
      priority: props.priority,
      policyName: `${name}-egress`,
      egress: egress ? [egress] : [],
    });
  }
}
