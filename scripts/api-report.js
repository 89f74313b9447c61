#!/usr/bin/env node
// The public API report: one `api/<entry>.api.md` per entry point of the package (the root and
// each subpath of `exports`), written by API Extractor from the declarations the build emits.
// A test compares the reports with fresh ones, so that a change of the public surface is made
// on purpose: after changing it, run `node scripts/api-report.js --update` and commit api/.
//
//   node scripts/api-report.js            compare; print the differences, exit 1 if any
//   node scripts/api-report.js --update   rewrite api/*.api.md
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const REPORT_DIR = path.join(ROOT, 'api');

/** The entry points: report name → declaration file under build/lib, from package.json `exports`. */
function entryPoints() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'object' || !target.types) continue;
    const name = subpath === '.' ? 'cdk8s-netpol' : `cdk8s-netpol.${subpath.slice(2).replace(/\//g, '.')}`;
    out.push({ name, subpath, dts: path.relative('build/lib', target.types.replace(/^\.\//, '')) });
  }
  return out;
}

/** Emits the library's declarations into a temporary folder; returns its `lib` folder. */
function emitDeclarations(tmp) {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--declaration', '--emitDeclarationOnly', '--outDir', tmp],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return path.join(tmp, 'lib');
}

/** Writes the report of one entry point into `reportFolder`; returns its file. */
function report(entry, libDir, reportFolder, tmp) {
  const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: path.join(libDir, entry.dts),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node',
            lib: ['ES2022'],
            types: ['node', 'jest'],
            strict: true,
            skipLibCheck: true,
          },
          files: [path.join(libDir, entry.dts)],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.name}.api.md`,
        reportFolder,
        reportTempFolder: path.join(tmp, 'report-temp'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        // release tags (@public, @beta) are not used here; what the entry point exports is public
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // a type the signatures use that the entry point does not export: noted in the report
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(ROOT, 'package.json'),
  });
  const problems = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    showVerboseMessages: false,
    messageCallback: (m) => {
      const note = String(m.messageId).startsWith('console-'); // report created or changed: compared below
      if (!note && (m.logLevel === 'error' || m.logLevel === 'warning')) problems.push(m.formatMessageWithLocation(ROOT));
      m.handled = true;
    },
  });
  if (!result.succeeded || problems.length > 0) {
    throw new Error(`api-report: ${entry.subpath}: ${problems.join('; ') || 'API Extractor failed'}`);
  }
  return path.join(reportFolder, `${entry.name}.api.md`);
}

/** Builds every report into a temporary folder; returns `{ name → text }`. */
function buildReports() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-api-'));
  try {
    const libDir = emitDeclarations(path.join(tmp, 'dts'));
    const out = {};
    for (const entry of entryPoints()) {
      fs.mkdirSync(path.join(tmp, 'reports'), { recursive: true });
      const file = report(entry, libDir, path.join(tmp, 'reports'), tmp);
      // the temporary folder's name must not show in the report
      out[path.basename(file)] = fs.readFileSync(file, 'utf8').split(tmp).join('<build>');
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The differences between the checked-in reports and `fresh`, as lines; empty when equal. */
function compare(fresh) {
  const lines = [];
  const existing = fs.existsSync(REPORT_DIR) ? fs.readdirSync(REPORT_DIR).filter((f) => f.endsWith('.api.md')) : [];
  for (const f of existing) if (!(f in fresh)) lines.push(`api/${f}: no such entry point any more`);
  for (const [f, text] of Object.entries(fresh)) {
    const file = path.join(REPORT_DIR, f);
    if (!fs.existsSync(file)) {
      lines.push(`api/${f}: missing`);
      continue;
    }
    const old = fs.readFileSync(file, 'utf8').split('\n');
    const now = text.split('\n');
    const removed = old.filter((l) => !now.includes(l));
    const added = now.filter((l) => !old.includes(l));
    if (removed.length === 0 && added.length === 0 && old.join('\n') === now.join('\n')) continue;
    lines.push(`api/${f} differs:`, ...removed.map((l) => `- ${l}`), ...added.map((l) => `+ ${l}`));
  }
  return lines;
}

function main() {
  const fresh = buildReports();
  if (process.argv.includes('--update')) {
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
    fs.mkdirSync(REPORT_DIR, { recursive: true });
    for (const [f, text] of Object.entries(fresh)) fs.writeFileSync(path.join(REPORT_DIR, f), text);
    process.stdout.write(`api-report: wrote ${Object.keys(fresh).length} reports to api/\n`);
    return 0;
  }
  const diff = compare(fresh);
  if (diff.length === 0) {
    process.stdout.write(`api-report: ${Object.keys(fresh).length} entry points match api/\n`);
    return 0;
  }
  process.stdout.write(
    `${diff.join('\n')}\napi-report: the public API changed; if that is meant, run node scripts/api-report.js --update and commit api/\n`,
  );
  return 1;
}

module.exports = { buildReports, compare, entryPoints };

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
