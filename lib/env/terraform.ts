/**
 * Environments from `terraform output -json`, for values that exist only once the
 * infrastructure does (a database subnet, a VPN range). The file maps each output name to
 * `{ "value": ..., "type": ..., "sensitive": bool }`.
 *
 * @see https://developer.hashicorp.com/terraform/cli/commands/output
 */
import { Issue, NetpolError } from '../model/errors';
import type { LoadOptions } from './environment';
import { parseDataText, readTextFile } from './private/files';
import { formatPath, isPlainObject, parsePath, PathSegment, withValueAt } from './private/paths';
import { didYouMean } from './private/suggest';

/** The output read when neither `map` nor `base` is given. */
export const DEFAULT_TERRAFORM_OUTPUT = 'netpol_environment';

/** Options for `Environment.fromTerraformOutput`. */
export interface TerraformOptions extends LoadOptions {
  /**
   * The output whose value is the whole environment document (an HCL object with `name`,
   * `cidrs`, `databases`, ...). Not with `base`.
   * @default - 'netpol_environment' when neither `map` nor `base` is given
   */
  readonly output?: string;
  /**
   * Key paths of the document set from outputs, e.g.
   * `{ 'cidrs.corporate': 'corporate_cidr', 'databases.orders.cidrs': 'orders_db_cidrs' }`.
   * Applied after `output` or `base`, so they override what those hold.
   * @default - no mapped outputs
   */
  readonly map?: { readonly [keyPath: string]: string };
  /**
   * An environment file (YAML or JSON) to start from; the mapped outputs are laid over it.
   * @default - start from `output`, or from an empty document
   */
  readonly base?: string;
}

/** A document assembled from Terraform outputs, with where its values came from. */
export interface TerraformDocument {
  /** The assembled document, not yet checked. */
  readonly data: unknown;
  /** The files involved, for errors and `Environment.source`. */
  readonly source: string;
  /** Names the output an issue's value came from. */
  readonly annotate: (issue: Issue) => Issue;
}

/** A document already read, to lay the outputs over (an environment file that names its Terraform output). */
export interface TerraformBase {
  /** The parsed document. */
  readonly data: unknown;
  /** Its file. */
  readonly source: string;
}

/** Reads and assembles the document; errors name the Terraform file and the output. @internal */
export function readTerraformDocument(file: string, options: TerraformOptions, inline?: TerraformBase): TerraformDocument {
  const map = Object.entries(options.map ?? {});
  if ((options.base !== undefined || inline !== undefined) && options.output !== undefined) {
    throw new NetpolError(
      [
        {
          code: 'env.terraform-options',
          path: '',
          message:
            'give either base (an environment file to lay outputs over) or output (an output that holds the whole environment), not both',
        },
      ],
      file,
    );
  }
  const outputName =
    options.output ?? (options.base === undefined && inline === undefined && map.length === 0 ? DEFAULT_TERRAFORM_OUTPUT : undefined);

  const outputs = readOutputs(file);
  const issues: Issue[] = [];
  const read = (name: string, purpose: string): unknown => outputValue(outputs, name, purpose, issues);
  let data: unknown = {};
  if (outputName !== undefined) data = read(outputName, 'the whole environment');
  const mapped: Array<{ path: string; output: string }> = [];
  const values: Array<[PathSegment[], unknown]> = [];
  for (const [keyPath, output] of map) {
    let segments: PathSegment[];
    try {
      segments = parsePath(keyPath);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push({ ...e.issues[0], message: `map key ${e.issues[0].message}` });
      continue;
    }
    mapped.push({ path: formatPath(segments), output });
    values.push([segments, read(output, `for ${formatPath(segments)}`)]);
  }
  if (issues.length > 0) throw new NetpolError(issues, file);

  let source = outputName !== undefined ? `${file} (output "${outputName}")` : file;
  if (inline !== undefined) {
    data = inline.data ?? {};
    source = `${inline.source} with outputs from ${file}`;
  } else if (options.base !== undefined) {
    data = parseDataText(readTextFile(options.base, 'environment file'), options.base) ?? {};
    source = `${options.base} with outputs from ${file}`;
  }
  for (const [i, [segments, value]] of values.entries()) {
    try {
      data = withValueAt(data, segments, value);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push({ code: e.code, path: mapped[i].path, message: `map key "${mapped[i].path}": ${e.issues[0].message}` });
    }
  }
  if (issues.length > 0) throw new NetpolError(issues, file);
  return { data, source, annotate: annotateWithOutputs(mapped) };
}

/** The outputs of a `terraform output -json` file, by name. */
function readOutputs(file: string): Record<string, unknown> {
  const outputs = parseDataText(readTextFile(file, 'Terraform output file'), file);
  if (!isPlainObject(outputs)) {
    throw new NetpolError(
      [
        {
          code: 'env.terraform-format',
          path: '',
          message: `is not the output of "terraform output -json" (expected a mapping of output names to {value, type, sensitive}); create it with: terraform output -json > ${file}`,
        },
      ],
      file,
    );
  }
  return outputs;
}

/** The value of output `name`, or undefined with the reason added to `issues` (missing, malformed, sensitive). */
function outputValue(outputs: Record<string, unknown>, name: string, purpose: string, issues: Issue[]): unknown {
  const o = outputs[name];
  if (o === undefined) {
    const available = Object.keys(outputs).sort();
    const has = available.length > 0 ? `the file has ${available.join(', ')}.${didYouMean(name, available)}` : 'the file has no outputs.';
    issues.push({
      code: 'env.terraform-missing',
      path: formatPath([name]),
      message: `no output "${name}" (${purpose}); ${has} Declare it in the Terraform configuration and apply, or fix the name`,
    });
    return undefined;
  }
  if (!isPlainObject(o) || !('value' in o)) {
    issues.push({
      code: 'env.terraform-format',
      path: formatPath([name]),
      message: `output "${name}" has no "value"; the file does not look like the output of "terraform output -json"`,
    });
    return undefined;
  }
  if (o.sensitive === true) {
    issues.push({
      code: 'env.terraform-sensitive',
      path: formatPath([name]),
      message: `output "${name}" is marked sensitive, and its value would be written into manifests anyone can read; addresses and ports are not secrets, so declare the output without sensitive = true (or put the value in the environment file)`,
    });
    return undefined;
  }
  return o.value;
}

/** Names, in an issue about a mapped value, the output the value came from. */
function annotateWithOutputs(mapped: Array<{ path: string; output: string }>): (issue: Issue) => Issue {
  // The deepest mapped path wins when mapped paths nest.
  mapped.sort((a, b) => b.path.length - a.path.length);
  return (issue: Issue): Issue => {
    const m = mapped.find((x) => issue.path === x.path || issue.path.startsWith(`${x.path}.`) || issue.path.startsWith(`${x.path}[`));
    if (m) return { ...issue, message: `from terraform output "${m.output}": ${issue.message}` };
    if (issue.code === 'env.missing' && issue.path === 'name') {
      return { ...issue, message: `${issue.message}; pass { name: "<environment>" } or map an output to "name"` };
    }
    return issue;
  };
}
