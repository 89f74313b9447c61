// Loads one library and exits: `node bench/private/require.js cdk8s-netpol` (the built
// package root, build/lib/index.js) or any installed package, e.g. cdk8s-plus-27.
const path = require('path');
const name = process.argv[2];
require(name === 'cdk8s-netpol' ? path.join(__dirname, '..', '..', 'build', 'lib', 'index.js') : name);
