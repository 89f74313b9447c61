/**
 * Equivalence of NetworkPolicy manifests written by different tools. Each policy becomes one
 * canonical string of (namespace, podSelector, policyTypes, rules), where a rule is expanded
 * into the (peer, port) pairs it allows: a rule matches traffic that matches any of its peers
 * and any of its ports, and a policy allows the union of its rules, so two policies allow the
 * same traffic exactly when these sets are equal. Object names are left out on purpose.
 */
import * as YAML from 'yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The policies of a multi-document YAML text, one canonical string each, sorted. Documents of
 * other kinds are ignored.
 */
export function policyKeys(yamlText: string): string[] {
  const keys: string[] = [];
  for (const doc of YAML.parseAllDocuments(yamlText)) {
    if (doc.errors.length > 0) throw new Error(`YAML does not parse: ${doc.errors[0].message}`);
    const obj = doc.toJS() as any;
    if (!obj || obj.kind !== 'NetworkPolicy') continue;
    keys.push(policyKey(obj));
  }
  return keys.sort();
}

function policyKey(obj: any): string {
  const spec = obj.spec ?? {};
  const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  return canonical({
    namespace: obj.metadata?.namespace ?? 'default',
    podSelector: selector(spec.podSelector),
    policyTypes: [...types].sort(),
    ingress: types.includes('Ingress') ? atoms(spec.ingress, 'from') : [],
    egress: types.includes('Egress') ? atoms(spec.egress, 'to') : [],
  });
}

/** Every (peer, port) pair the rules allow, as sorted canonical strings; `*` for "every". */
function atoms(rules: any[] | undefined, peersKey: 'from' | 'to'): string[] {
  const out = new Set<string>();
  for (const rule of rules ?? []) {
    const peers: string[] = (rule?.[peersKey] ?? []).length > 0 ? rule[peersKey].map((p: any) => canonical(peer(p))) : ['*'];
    const ports: string[] = (rule?.ports ?? []).length > 0 ? rule.ports.map((p: any) => canonical(port(p))) : ['*'];
    for (const pe of peers) for (const po of ports) out.add(`${pe} ${po}`);
  }
  return [...out].sort();
}

function peer(p: any): Json {
  const out: { [k: string]: Json } = {};
  if (p.ipBlock) {
    out.ipBlock = { cidr: p.ipBlock.cidr, except: [...(p.ipBlock.except ?? [])].sort() };
  }
  if (p.namespaceSelector) out.namespaceSelector = selector(p.namespaceSelector);
  if (p.podSelector) out.podSelector = selector(p.podSelector);
  return out;
}

function port(p: any): Json {
  const out: { [k: string]: Json } = { protocol: p.protocol ?? 'TCP' };
  if (p.port !== undefined && p.port !== null) out.port = p.port;
  if (p.endPort !== undefined && p.endPort !== null && p.endPort !== p.port) out.endPort = p.endPort;
  return out;
}

/** A selector with empty parts removed and expressions (and their values) sorted. */
function selector(s: any): Json {
  const out: { [k: string]: Json } = {};
  const labels = s?.matchLabels ?? {};
  if (Object.keys(labels).length > 0) out.matchLabels = labels;
  const exprs = (s?.matchExpressions ?? []).map((x: any) =>
    canonical({ key: x.key, operator: x.operator, values: [...(x.values ?? [])].sort() }),
  );
  if (exprs.length > 0) out.matchExpressions = [...new Set<string>(exprs)].sort();
  return out;
}

/** JSON with object keys sorted at every level. */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Compares the policies of several outputs. Returns an empty list when all are equal, or one
 * line per difference (at most `limit`), naming the output and the policy.
 */
export function compareOutputs(outputs: Record<string, string>, limit = 5): string[] {
  const names = Object.keys(outputs);
  const keys = Object.fromEntries(names.map((n) => [n, policyKeys(outputs[n])]));
  const problems: string[] = [];
  for (const n of names) {
    const dups = keys[n].length - new Set(keys[n]).size;
    if (dups > 0) problems.push(`${n}: ${dups} policies appear twice`);
  }
  const [first, ...rest] = names;
  const a = new Set(keys[first]);
  for (const other of rest) {
    const b = new Set(keys[other]);
    for (const k of a) if (!b.has(k)) problems.push(`only in ${first} (not in ${other}): ${k}`);
    for (const k of b) if (!a.has(k)) problems.push(`only in ${other} (not in ${first}): ${k}`);
  }
  return problems.slice(0, limit);
}
