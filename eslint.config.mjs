// Code guard rails: typescript-eslint's recommended rules, no `any`, no import cycles, and the
// layer rules of docs/ARCHITECTURE.md (which folder of lib/ may import which).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

/** Every layer of lib/, so that a zone can forbid all but the ones a layer may import. */
const LAYERS = ['model', 'env', 'render', 'io', 'constructs', 'analysis', 'check', 'report', 'testing', 'api'];

/**
 * What each layer of lib/ may import besides itself. lib/index.ts and lib/api only re-export, so
 * they may import every layer; nothing in lib/ imports them, bin/, test/, bench/ or examples/.
 */
const MAY_IMPORT = {
  model: [],
  env: ['model', 'io/private/fast-yaml.ts', 'io/private/limits.ts'],
  render: ['model'],
  io: ['model'],
  constructs: ['model', 'render', 'env'],
  analysis: ['model'],
  report: ['model', 'analysis'],
  check: ['model', 'analysis', 'io', 'env', 'constructs', 'report/escape.ts'],
  testing: ['model', 'analysis', 'io', 'render', 'constructs'],
};

function layerZones() {
  const zones = [];
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    for (const other of LAYERS) {
      if (other === layer) continue;
      const exceptions = allowed.filter((a) => a.startsWith(`${other}/`)).map((a) => `./${a.slice(other.length + 1)}`);
      if (allowed.includes(other)) continue;
      zones.push({
        target: `./lib/${layer}`,
        from: `./lib/${other}`,
        ...(exceptions.length > 0 ? { except: exceptions } : {}),
        message: `lib/${layer} may import only ${['model', ...allowed].filter((v, i, a) => a.indexOf(v) === i).join(', ')} (docs/ARCHITECTURE.md)`,
      });
    }
    zones.push({ target: `./lib/${layer}`, from: './lib/index.ts', message: 'lib/index.ts only re-exports; import the module itself' });
  }
  for (const outside of ['bin', 'test', 'bench', 'examples']) {
    zones.push({ target: './lib', from: `./${outside}`, message: `lib/ never imports ${outside}/` });
  }
  for (const outside of ['test', 'bench', 'examples']) {
    zones.push({ target: './bin', from: `./${outside}`, message: `bin/ calls lib/ only, never ${outside}/` });
  }
  return zones;
}

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', 'dist/**', 'coverage/**', '**/*.d.ts'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node.js scripts and configuration in CommonJS.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // As the compiler's noUnusedParameters: a leading underscore marks a parameter unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
    },
  },
  {
    // No function in lib/ over 80 lines, blank lines and comments included.
    // Every error names its field: an error about a value that does not know its field yet is
    // NetpolError.ofValue, one about a whole file or construct NetpolError.about.
    files: ['lib/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80 }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='NetpolError'][callee.property.name='of'][arguments.1.value='']",
          message:
            'NetpolError.of needs a field path; use NetpolError.ofValue for a value its caller places under its field, ' +
            'NetpolError.about for a whole file or construct',
        },
      ],
    },
  },
  {
    // The CLI loads a command's layers with require when that command runs, so that
    // `netpol --help` and each command start without loading every layer.
    files: ['bin/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and benchmarks walk synthesized JSON, call the API with wrong types on purpose as
    // JavaScript callers would, and load modules inside jest's isolated registries.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
