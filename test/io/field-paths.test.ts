/**
 * The model's checks raise errors about a value (`NetpolError.ofValue`), without the field it came
 * from; the manifest readers place each under its field. These tests read a manifest with each
 * kind of bad value and assert that the issue the user sees names the file, the document and
 * the field.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifests } from '../../lib/io';
import { Issue, NetpolError } from '../../lib/model';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-paths-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The issues of reading one manifest, and where the reader located them. */
function issuesOf(name: string, text: string): { where?: string; issues: readonly Issue[] } {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    readManifests([file]);
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return { where: e.where, issues: e.issues };
  }
  throw new Error(`${name} was read without an error`);
}

const policy = (spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec:\n${spec}\n`;
const clusterPolicy = (egress: string) =>
  'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\n' +
  `spec:\n  tier: Admin\n  priority: 10\n  subject: {namespaces: {}}\n  egress:\n  - action: Accept\n    to:\n${egress}\n`;

describe('every value error of a manifest is placed under its field', () => {
  test.each([
    [
      'cidr.invalid',
      policy('  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: "1.2.3.4.5/8"}}]}]'),
      'spec.ingress[0].from[0].ipBlock.cidr',
    ],
    [
      'cidr.hostname',
      policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: db.example.com}}]}]'),
      'spec.egress[0].to[0].ipBlock.cidr',
    ],
    [
      'cidr.mask-missing',
      policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.1}}]}]'),
      'spec.egress[0].to[0].ipBlock.cidr',
    ],
    ['cidr.host-bits', policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.1/8}}]}]'), 'spec.egress[0].to[0].ipBlock.cidr'],
    ['cidr.prefix', policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]'), 'spec.egress[0].to[0].ipBlock.cidr'],
    [
      'ip.leading-zero',
      policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: ["10.01.0.0/16"]}}]}]'),
      'spec.egress[0].to[0].ipBlock.except[0]',
    ],
    [
      'ip.ipv4-mapped',
      policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: "::ffff:10.0.0.0/104"}}]}]'),
      'spec.egress[0].to[0].ipBlock.cidr',
    ],
    ['peer.empty', policy('  podSelector: {}\n  ingress: [{from: [{}]}]'), 'spec.ingress[0].from[0]'],
    [
      'peer.ipblock-with-selector',
      policy('  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]'),
      'spec.ingress[0].from[0]',
    ],
    ['domain.invalid', clusterPolicy('    - domainNames: ["-bad..com"]'), 'spec.egress[0].to[0].domainNames[0]'],
    ['domain.type', clusterPolicy('    - domainNames: [7]'), 'spec.egress[0].to[0].domainNames[0]'],
  ])('%s', (code, text, field) => {
    const { where, issues } = issuesOf(`${code}.yaml`, text);
    expect(where).toBe(path.join(dir, `${code}.yaml#0`));
    expect(issues.find((i) => i.code === code)).toMatchObject({ code, path: field });
  });
});
