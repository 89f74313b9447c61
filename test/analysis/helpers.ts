/** Builders shared by the analysis tests: workloads, namespaces and policies from YAML text. */
import { parseIp } from '../../lib/model/cidr';
import { ContainerPort, Workload } from '../../lib/model/cluster';
import { Labels } from '../../lib/model/selector';
import { parseManifestText } from '../../lib/io/documents';
import { manifestsFromDocuments, Manifests } from '../../lib/io/manifests';

/** A workload of one pod. */
export function pod(id: string, labels: Labels = {}, extra: { ports?: ContainerPort[]; ips?: string[]; kind?: string } = {}): Workload {
  const [namespace, name] = id.split('/');
  return {
    namespace,
    name,
    kind: extra.kind ?? 'Pod',
    labels,
    ports: extra.ports ?? [],
    ...(extra.ips ? { ips: extra.ips.map((ip) => parseIp(ip)) } : {}),
  };
}

/** Policies, namespaces and workloads from a multi-document YAML string. */
export function manifests(yaml: string): Manifests {
  return manifestsFromDocuments(parseManifestText(yaml, 'inline.yaml'));
}
