/**
 * Environments kept in the cluster they describe: a ConfigMap whose `data[key]` holds the
 * environment document as YAML text, e.g. as exported with `kubectl get configmap -o yaml`.
 */
import { Issue, NetpolError } from '../model/errors';
import type { IExtrasSchema } from './environment';
import { parseDataText, parseYamlDocuments, readTextFile } from './private/files';
import { isPlainObject } from './private/paths';
import { didYouMean } from './private/suggest';

/** The data key read when none is given. */
export const DEFAULT_CONFIGMAP_KEY = 'environment.yaml';

/** Options for `Environment.fromConfigMap`. */
export interface ConfigMapOptions {
  /**
   * A schema for the free-form `extras` section (e.g. a zod schema); see `LoadOptions.extras`.
   * @default - no extras allowed
   */
  readonly extras?: IExtrasSchema;
  /**
   * The key under `data` that holds the environment document.
   * @default 'environment.yaml'
   */
  readonly key?: string;
  /**
   * `metadata.name` of the ConfigMap to read, when the file holds several.
   * @default - the only ConfigMap in the file
   */
  readonly name?: string;
}

/** The document text found in a ConfigMap, parsed, with a description of where it came from. */
export interface ConfigMapDocument {
  /** The parsed document, not yet checked. */
  readonly data: unknown;
  /** `<file> (ConfigMap <name>, data.<key>)`. */
  readonly source: string;
}

/** Finds the ConfigMap, reads `data[key]` and parses it. Errors name the file and `data.<key>`. @internal */
export function readConfigMapDocument(file: string, options: ConfigMapOptions): ConfigMapDocument {
  const key = options.key ?? DEFAULT_CONFIGMAP_KEY;
  const objects = parseYamlDocuments(readTextFile(file, 'ConfigMap manifest'), file).flatMap(flattenList);
  const fail = (code: string, path: string, message: string): never => {
    throw new NetpolError([{ code, path, message } satisfies Issue], file);
  };
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
  const names = configMaps.map(metadataName);
  let cm: Record<string, unknown>;
  if (options.name !== undefined) {
    const found = configMaps.find((o) => metadataName(o) === options.name);
    if (!found) {
      const has =
        names.length > 0
          ? `the file has ${names.map((n) => `"${n}"`).join(', ')}.${didYouMean(options.name, names)}`
          : `the file has no ConfigMap (${describeKinds(objects)}).`;
      return fail('env.configmap-missing', '', `no ConfigMap named "${options.name}"; ${has} Check the file and the name`);
    }
    cm = found;
  } else if (configMaps.length === 1) {
    cm = configMaps[0];
  } else if (configMaps.length === 0) {
    return fail('env.configmap-missing', '', `no ConfigMap in the file (${describeKinds(objects)}); give a manifest with kind: ConfigMap`);
  } else {
    return fail(
      'env.configmap-ambiguous',
      '',
      `the file holds ${configMaps.length} ConfigMaps (${names.map((n) => `"${n}"`).join(', ')}); pass { name } to choose one`,
    );
  }
  const cmName = metadataName(cm);
  const dataPath = `data.${key}`;
  const data = cm.data;
  const keys = isPlainObject(data) ? Object.keys(data).sort() : [];
  if (!isPlainObject(data) || !Object.prototype.hasOwnProperty.call(data, key)) {
    const binary = isPlainObject(cm.binaryData) ? Object.keys(cm.binaryData).sort() : [];
    if (binary.includes(key)) {
      return fail(
        'env.configmap-binary',
        `binaryData.${key}`,
        `ConfigMap "${cmName}" holds "${key}" under binaryData (base64 bytes), but the environment is read ` +
          `as text from data; store it under data (kubectl create configmap --from-file puts UTF-8 text files there)`,
      );
    }
    const inBinary = binary.length > 0 ? ` binaryData has ${binary.join(', ')}, which is not read.` : '';
    const has = keys.length > 0 ? `its data has ${keys.join(', ')}.${didYouMean(key, keys)}` : 'it has no data.';
    return fail(
      'env.configmap-key',
      dataPath,
      `ConfigMap "${cmName}" has no key "${key}" under data; ${has}${inBinary} Pass { key } to read another key`,
    );
  }
  const text = data[key];
  if (typeof text !== 'string') {
    return fail(
      'env.configmap-type',
      dataPath,
      `expected the environment as YAML text, got ` +
        `${Array.isArray(text) ? 'a list' : text === null ? 'an empty value' : typeof text === 'object' ? 'a mapping' : String(text)}; ` +
        `ConfigMap data values are strings, so write the document as a block: "${key}: |" followed by the indented YAML`,
    );
  }
  const source = `${file} (ConfigMap ${cmName}, ${dataPath})`;
  return { data: parseDataText(text, source), source };
}

function flattenList(value: unknown): Array<Record<string, unknown>> {
  if (!isPlainObject(value)) return [];
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
    return value.items.filter(isPlainObject).map((o) => (o.kind === undefined && itemKind ? { kind: itemKind, ...o } : o));
  }
  return [value];
}

function metadataName(o: Record<string, unknown>): string {
  const md = o.metadata;
  return isPlainObject(md) && typeof md.name === 'string' ? md.name : '';
}

function describeKinds(objects: ReadonlyArray<Record<string, unknown>>): string {
  if (objects.length === 0) return 'it holds no objects';
  const kinds = objects.map((o) => (typeof o.kind === 'string' ? o.kind : '(no kind)'));
  return `it holds ${[...new Set(kinds)].join(', ')}`;
}
