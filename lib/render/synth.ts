/**
 * App → manifests, in one pass over the construct tree. `chart.toJson()` re-resolves and
 * re-validates the whole app for every chart, which makes synthesizing many charts quadratic;
 * here the app is validated once and each ApiObject rendered once.
 */
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { NetpolError } from '../model/errors';
import { dns1123SubdomainErrors } from '../model/names';

/** One chart's rendered objects and the file name cdk8s would give them. */
export interface RenderedChart {
  /** `<chart id>.k8s.yaml`. */
  readonly file: string;
  readonly chart: Chart;
  readonly objects: readonly Record<string, unknown>[];
}

/** Every validation error of the app, as cdk8s prints them: `[construct path] message`. */
export function validateApp(app: IConstruct): string[] {
  const errors: string[] = [];
  for (const c of app.node.findAll()) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  return errors;
}

/**
 * Renders every chart of a validated app, objects in construct order. Chart file names are
 * the chart ids (which must be unique and DNS-safe, or rendering throws).
 */
export function renderApp(app: App): RenderedChart[] {
  const charts: RenderedChart[] = [];
  const byChart = new Map<Chart, Record<string, unknown>[]>();
  for (const c of app.node.findAll()) {
    if (Chart.isChart(c)) {
      byChart.set(c, []);
    } else if (c instanceof ApiObject) {
      byChart.get(Chart.of(c))!.push(c.toJson());
    }
  }
  const files = new Set<string>();
  for (const [chart, objects] of byChart) {
    const id = chart.node.id;
    if (dns1123SubdomainErrors(id).length > 0) {
      throw NetpolError.about(
        chart.node.path,
        'synth.chart-id',
        `chart id "${id}" is used as the file name; use lower-case letters, digits, '-' and '.'`,
      );
    }
    const file = `${id}.k8s.yaml`;
    if (files.has(file)) {
      throw NetpolError.about(chart.node.path, 'synth.chart-id', `two charts would both be written to ${file}; give them different ids`);
    }
    files.add(file);
    charts.push({ file, chart, objects });
  }
  return charts;
}

/** Multi-document YAML, formatted as cdk8s formats it. */
export function toYaml(objects: readonly Record<string, unknown>[]): string {
  // one document at a time: a spread of every object into one call fails past about 100,000 objects
  return objects.map((o) => Yaml.stringify(o)).join('---\n');
}

/** A `kustomization.yaml` whose resources are the given files, sorted. */
export function kustomization(files: readonly string[]): string {
  return Yaml.stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...files].sort(),
  });
}
