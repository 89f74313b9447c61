/**
 * The ClusterNetworkPolicy conformance fixtures (test/fixtures/cnp-conformance, see its README):
 * each upstream conformance test as scenario steps, each step the cluster and policies in force and
 * the expected verdict of each probe. Shared by every test that checks an evaluator against them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** Where the fixtures are. */
export const CONFORMANCE_DIR = path.join(__dirname, '..', 'fixtures', 'cnp-conformance');

/** One probe: a connection and the verdict the upstream test expects. */
export interface ConformanceProbe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly expect: 'allowed' | 'denied';
  /** `from -> to port/PROTOCOL`, for messages. */
  readonly text: string;
}

/** One step of a scenario: the files in force, and probes. */
export interface ConformanceStep {
  /** The upstream `t.Run` name, with the state it ran in when a test changes labels midway. */
  readonly name: string;
  /** What the upstream test changed before this step, if anything. */
  readonly change?: string;
  /** Absolute paths of the cluster manifests (namespaces, pods, nodes). */
  readonly cluster: readonly string[];
  /** Absolute paths of the policy manifests. */
  readonly policies: readonly string[];
  readonly probes: readonly ConformanceProbe[];
}

/** One upstream conformance test. */
export interface ConformanceScenario {
  /** The folder name. */
  readonly slug: string;
  /** The upstream test's ShortName, file and base manifest. */
  readonly upstream: { readonly test: string; readonly file: string; readonly manifests: string };
  readonly steps: readonly ConformanceStep[];
}

/** Every scenario, in folder order. */
export function conformanceScenarios(): ConformanceScenario[] {
  return fs
    .readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(CONFORMANCE_DIR, d.name, 'scenario.yaml')))
    .map((d) => d.name)
    .sort()
    .map((slug) => {
      const dir = path.join(CONFORMANCE_DIR, slug);
      const doc = parse(fs.readFileSync(path.join(dir, 'scenario.yaml'), 'utf8'));
      return {
        slug,
        upstream: doc.upstream,
        steps: doc.steps.map((s: any) => ({
          name: s.name,
          ...(s.change ? { change: s.change } : {}),
          cluster: s.cluster.map((f: string) => path.join(CONFORMANCE_DIR, f)),
          policies: s.policies.map((f: string) => path.join(dir, f)),
          probes: s.probes.map((p: any) => {
            const [port, protocol] = String(p.port).split('/');
            return { from: p.from, to: p.to, port: Number(port), protocol, expect: p.expect, text: `${p.from} -> ${p.to} ${p.port}` };
          }),
        })),
      };
    });
}
