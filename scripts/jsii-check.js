#!/usr/bin/env node
// Compiles the package root (`lib/index.ts`, the constructs, values and environments) with the
// jsii compiler, the one that builds cdk8s itself, so that the construct API stays usable from
// Python, Java, Go and .NET. Prints every jsii error as `file:line:col message` and the count,
// then the types of the assembly jsii would publish; exits 1 if there is any error. A warning
// about the sources counts as an error too (a member named like its class, which renames the
// class in C#; a malformed `@jsii` directive), except reserved words: `namespace`, `from`,
// `except` and `operator` are the Kubernetes API's names, and jsii escapes them where a
// language reserves them (`except_` in Python). Warnings about the temporary project's own
// metadata are not about the sources and are left out. The sources
// are copied into a temporary project, so nothing is written into the repository.
// test/package/jsii.test.ts runs it as part of `npm test`.
//
//   node scripts/jsii-check.js
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function copyTs(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTs(path.join(from, e.name), path.join(to, e.name));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.js')) fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

/**
 * Runs jsii over `lib/index.ts` of `sources` (the repository's by default); returns
 * `{ errors: string[], types: string[], output }`: the errors as `file:line:col message`, the
 * names of the types in the assembly (empty when there is none), and jsii's whole output.
 */
function jsiiCheck(sources = path.join(ROOT, 'lib')) {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-jsii-'));
  try {
    copyTs(sources, path.join(tmp, 'lib'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
    const jsiiDeps = { cdk8s: own.peerDependencies.cdk8s, constructs: own.peerDependencies.constructs };
    fs.writeFileSync(
      path.join(tmp, 'package.json'),
      JSON.stringify({
        name: own.name,
        version: own.version,
        description: own.description,
        license: own.license,
        author: { name: 'cdk8s-netpol authors', organization: false },
        repository: { type: 'git', url: 'https://github.com/cdk8s-netpol/cdk8s-netpol.git' },
        main: 'lib/index.js',
        types: 'lib/index.d.ts',
        jsii: { outdir: 'jsii-dist', targets: {}, tsconfig: 'tsconfig.jsii.json', validateTsconfig: 'off' },
        peerDependencies: jsiiDeps,
        devDependencies: jsiiDeps,
      }),
    );
    fs.writeFileSync(
      path.join(tmp, 'tsconfig.jsii.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          declaration: true,
        },
        // the root and what it imports: jsii checks what the root exports, and the rest of the
        // library is type-checked by `npm run typecheck`
        files: ['lib/index.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jsii/bin/jsii'), '--silence-warnings=reserved-word'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output = (r.stdout + r.stderr).split(tmp + path.sep).join('');
    // eslint-disable-next-line no-control-regex
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    const errors = plain
      .split('\n')
      .filter((l) => / - (error|warning) JSII\d+:/.test(l) || /^error JSII\d+:/.test(l) || /^JSII\d+:/.test(l));
    if (errors.length === 0 && r.status !== 0)
      errors.push(`jsii exited with ${r.status}: ${plain.trim().split('\n').slice(-5).join(' | ')}`);
    const assembly = path.join(tmp, '.jsii');
    const types = fs.existsSync(assembly)
      ? Object.keys(JSON.parse(fs.readFileSync(assembly, 'utf8')).types ?? {})
          .map((fqn) => fqn.slice(fqn.indexOf('.') + 1))
          .sort()
      : [];
    return { errors, types, output: plain };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { jsiiCheck };

if (require.main === module) {
  const { errors, types } = jsiiCheck();
  process.stdout.write(errors.map((e) => `${e}\n`).join(''));
  process.stdout.write(`jsii: ${errors.length} error${errors.length === 1 ? '' : 's'} over the root entry point\n`);
  if (types.length > 0) process.stdout.write(`jsii: the assembly has ${types.length} types: ${types.join(', ')}\n`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}
