/**
 * What `netpol validate` reports: the model's `Issue` (code, field path, the API server's
 * message) plus, where we can tell what went wrong, a hint in our own words.
 */
import type { Issue } from '../../model/errors';

/**
 * One problem in one NetworkPolicy. `message` is what the API server would say for server-side
 * rules (`Invalid value: "tcp": ...`), or our own sentence for problems the server reports only
 * as a decoding failure (unknown fields, wrong types, a map where a list belongs).
 */
export interface ValidationIssue extends Issue {
  /** Advice in our words (`a quoted number is a port name ...`). @default - none */
  readonly hint?: string;
}

/** Options of the validator. */
export interface ValidateOptions {
  /**
   * Check `ipBlock` CIDRs the way API servers up to 1.35 do: syntax only, so host bits beyond
   * the prefix (`10.0.0.1/24`), leading zeros and IPv4-mapped IPv6 pass.
   * @default false - the strict rules of API servers from 1.36 (KEP-4858)
   */
  readonly legacyCidrs?: boolean;
  /**
   * The channel of the ClusterNetworkPolicy CRD installed in the cluster: `standard` has no
   * `nodes` and `domainNames` peers.
   * @default 'experimental'
   */
  readonly clusterNetworkPolicyChannel?: 'standard' | 'experimental';
}
