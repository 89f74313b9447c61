// The entry point the cdk8s CLI loads for the `netpol lint` validation plugin from a source
// checkout (`package: ./lib/check/plugin/cdk8s-plugin.js` in cdk8s.yaml). The CLI runs on plain
// Node.js and `require`s this file; the plugin is TypeScript, so it is loaded through tsx's
// scoped require, which compiles it and everything it imports without hooking other modules.
'use strict';
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./netpol-lint-validation.ts', __filename);
