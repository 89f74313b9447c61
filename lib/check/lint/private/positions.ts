/**
 * Line numbers of fields in manifest files, for findings and SARIF regions: the file is parsed
 * again with a line counter and the field path walked through the YAML nodes.
 */
import { Document, isMap, isScalar, isSeq, LineCounter, Node, Pair, parseAllDocuments } from 'yaml';
import { readManifestText } from '../../../io/stdin';

interface ParsedFile {
  readonly docs: readonly Document.Parsed[];
  readonly lines: LineCounter;
}

/** `spec.ingress[0].from[1]` → `['spec', 'ingress', 0, 'from', 1]`. */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[([0-9]+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** Finds lines of fields in files, parsing each file once. */
export class YamlPositions {
  private readonly files = new Map<string, ParsedFile | undefined>();

  /**
   * The 1-based line of the deepest field of `path` that exists in document `doc` (item
   * `item` of a List) of the file; the document's first line for an empty path; undefined
   * when the file or document cannot be read.
   */
  public line(file: string, doc: number, item: number | undefined, path: string): number | undefined {
    const parsed = this.parse(file);
    const d = parsed?.docs[doc];
    if (!parsed || !d || !d.contents) return undefined;
    const segments = [...(item !== undefined ? ['items', item] : []), ...pathSegments(path)];
    let node: Node | null | undefined = d.contents as Node;
    let offset = (d.contents as Node).range?.[0];
    let i = 0;
    while (i < segments.length) {
      const seg = segments[i];
      if (isMap(node)) {
        const map = node;
        // A key may hold dots itself (annotation keys such as netpol.dev/lint-suppress): try the longest join first.
        let found = false;
        for (let k = segments.length - i; k >= 1 && !found; k--) {
          const parts = segments.slice(i, i + k);
          if (parts.some((p) => typeof p !== 'string')) continue;
          const key = parts.join('.');
          const pair = (map.items as Pair[]).find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
          if (pair) {
            offset = (pair.key as Node | null)?.range?.[0] ?? offset;
            node = pair.value as Node | null;
            i += k;
            found = true;
          }
        }
        if (!found) break;
      } else if (isSeq(node) && typeof seg === 'number') {
        const it = node.items[seg] as Node | undefined;
        if (!it) break;
        offset = it.range?.[0] ?? offset;
        node = it;
        i += 1;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : parsed.lines.linePos(offset).line;
  }

  private parse(file: string): ParsedFile | undefined {
    if (this.files.has(file)) return this.files.get(file);
    let parsed: ParsedFile | undefined;
    try {
      const lines = new LineCounter();
      const docs = parseAllDocuments(readManifestText(file), { lineCounter: lines, uniqueKeys: false });
      parsed = { docs: Array.isArray(docs) ? docs : [], lines };
    } catch {
      parsed = undefined;
    }
    this.files.set(file, parsed);
    return parsed;
  }
}
