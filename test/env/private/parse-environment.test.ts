import { node } from '../../cli/run';
import { fixture } from '../helpers';

/**
 * In a fresh process: the synth entry point loads the example environments (one of them laid
 * over a Terraform output), then a file with problems. Prints what was loaded, and when.
 */
const SCRIPT = `
const zod = () => Object.keys(require.cache).filter((f) => f.replace(/\\\\/g, '/').includes('/node_modules/zod/')).length;
const schema = () => Object.keys(require.cache).filter((f) => /[\\\\/]lib[\\\\/]env[\\\\/]schema\\.ts$/.test(f)).length;
const { loadEnvironments } = require('./lib/api/synth.ts');
const envs = loadEnvironments(['examples/environments']);
const loaded = { names: envs.map((e) => e.name), databases: envs.map((e) => e.database('orders').cidrs.join(' ')), zod: zod(), schema: schema() };
let message;
try {
  loadEnvironments([process.argv[1]]);
} catch (e) {
  message = e.message;
}
console.log(JSON.stringify({ loaded, message, zodAfter: zod() > 0 }));
`;

describe('parseEnvironment', () => {
  test('loads no schema library for valid environment files, and words a file with problems as the schema does', () => {
    const file = fixture('unknown-key.yaml');
    const r = node({}, '-e', SCRIPT, file);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      loaded: { names: ['dev', 'prod', 'staging'], databases: ['10.10.10.10/32', '10.20.0.0/24', '10.11.0.5/32'], zod: 0, schema: 0 },
      message:
        `${file}: databases.orders.prot: unknown key "prot" in databases.orders; expected one of cidrs, cidr, port, endPort, ports, protocol. Did you mean "port"?\n` +
        `${file}: databases.orders: no port given; add port: <number> (e.g. port: 5432), or ports: [{port, protocol}, ...] for several`,
      zodAfter: true,
    });
  });
});
