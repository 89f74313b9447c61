/** The limits of one read of manifests, and their defaults. */

/**
 * What reading manifests may cost. Every input comes from many hands, so each limit bounds the
 * time and memory of one read and is reported as one error naming the file.
 */
export interface InputLimits {
  /** Bytes one file (or standard input) may hold. */
  readonly maxFileBytes: number;
  /** Bytes all the files of one read may hold together. */
  readonly maxTotalBytes: number;
  /** YAML documents one file may hold (empty ones count). */
  readonly maxDocuments: number;
  /** How deep lists and mappings may nest in a document, aliases expanded. */
  readonly maxDepth: number;
  /** YAML aliases (`*name`) one file may use. */
  readonly maxAliases: number;
  /** Values (scalars, lists, mappings) that aliases may add to one file when expanded. */
  readonly maxAliasNodes: number;
}

/**
 * The default limits: 16 MiB a file and 64 MiB a read, 100,000 documents a file, nesting 100
 * deep, 1,000 aliases adding at most 100,000 values a file. Real manifests stay far below
 * each (a Kubernetes object may not exceed about 1.5 MiB, and nests about 20 deep).
 */
export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxDocuments: 100_000,
  maxDepth: 100,
  maxAliases: 1_000,
  maxAliasNodes: 100_000,
};

/** `64 MiB`, `1.5 MiB`, `512 KiB`. */
export function mib(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
