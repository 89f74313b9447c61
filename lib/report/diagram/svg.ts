/**
 * SVG from DOT, laid out in-process by Graphviz compiled to WebAssembly
 * (`@hpcc-js/wasm-graphviz`, whose module carries the WebAssembly inline: nothing is
 * downloaded, no `dot` binary is needed).
 *
 * The package is an ES module. It is loaded with a native `import()` inside a worker thread,
 * which works the same from compiled CommonJS, from tsx and under jest (whose module registry
 * cannot load ES modules without extra flags).
 */
import { pathToFileURL } from 'url';
import { Worker } from 'worker_threads';
import { NetpolError } from '../../model/errors';
import { Diagram } from './graph';
import { formatDot } from './dot';

const WORKER = `
const { parentPort, workerData } = require('worker_threads');
import(workerData.url)
  .then((m) => m.Graphviz.load())
  .then((graphviz) => parentPort.postMessage({ svg: graphviz.dot(workerData.dot, 'svg') }))
  .catch((e) => parentPort.postMessage({ error: String((e && e.message) || e) }));
`;

/**
 * Lays out a DOT graph with Graphviz's `dot` engine and returns the SVG document. Rejects with
 * `NetpolError` (code `diagram.graphviz`) when Graphviz cannot be loaded or rejects the graph.
 *
 * @example
 * const svg = await dotToSvg('digraph { a -> b }');
 */
export function dotToSvg(dot: string): Promise<string> {
  let url: string;
  try {
    url = pathToFileURL(require.resolve('@hpcc-js/wasm-graphviz')).href;
  } catch {
    return Promise.reject(
      NetpolError.ofValue(
        'diagram.graphviz',
        'the package @hpcc-js/wasm-graphviz is not installed; run "npm install @hpcc-js/wasm-graphviz", or draw it as mermaid or dot',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { url, dot } });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (m: { svg?: string; error?: string }) =>
      finish(() =>
        m.svg !== undefined
          ? resolve(m.svg)
          : reject(NetpolError.ofValue('diagram.graphviz', `Graphviz could not lay out the diagram: ${m.error}`)),
      ),
    );
    worker.once('error', (e) =>
      finish(() => reject(NetpolError.ofValue('diagram.graphviz', `Graphviz could not lay out the diagram: ${e.message}`))),
    );
    worker.once('exit', (code) =>
      finish(() => reject(NetpolError.ofValue('diagram.graphviz', `Graphviz stopped (exit code ${code}) before laying out the diagram`))),
    );
  });
}

/**
 * The diagram as a standalone SVG document (laid out from `formatDot`).
 *
 * @example
 * fs.writeFileSync('reach.svg', await formatSvg(buildDiagram(analysis)));
 */
export function formatSvg(diagram: Diagram): Promise<string> {
  return dotToSvg(formatDot(diagram));
}
