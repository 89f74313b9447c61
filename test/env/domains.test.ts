import { Environment } from '../../lib/env';
import { problems } from './helpers';

const doc = (domains: unknown) => ({ name: 'prod', domains });

describe('domains in an environment', () => {
  test('a name maps to a list of domain names, checked by the ClusterNetworkPolicy rules', () => {
    const env = Environment.fromObject(doc({ stripe: ['api.stripe.com', '*.stripe.com'], github: ['github.com'] }), 'prod.yaml');
    expect(env.domains('stripe').map(String)).toEqual(['api.stripe.com', '*.stripe.com']);
    expect(env.domainListNames()).toEqual(['github', 'stripe']);
    expect(Environment.fromObject({ name: 'dev' }, 'dev.yaml').domainListNames()).toEqual([]);
  });

  test('throws for a name that is not a domain name, with the file and key path', () => {
    expect(problems(() => Environment.fromObject(doc({ stripe: ['api.stripe.com', 'https://api.stripe.com'] }), 'prod.yaml'))).toEqual([
      'prod.yaml: domains.stripe[1]: domain name "https://api.stripe.com" is invalid: write the host name only, without scheme, port or path (e.g. "api.example.com", or "*.example.com" for its subdomains)',
    ]);
  });

  test('throws for a single name instead of a list, and for an empty list', () => {
    expect(problems(() => Environment.fromObject(doc({ stripe: 'api.stripe.com' }), 'prod.yaml'))).toEqual([
      'prod.yaml: domains.stripe: expected a list of 1 to 25 domain names such as [api.example.com, "*.example.com"], got the string "api.stripe.com"; for one entry write [api.stripe.com]',
    ]);
    expect(problems(() => Environment.fromObject(doc({ stripe: [] }), 'prod.yaml'))).toEqual([
      'prod.yaml: domains.stripe: expected a list of 1 to 25 domain names such as [api.example.com, "*.example.com"], got an empty list',
    ]);
    const many = Array.from({ length: 26 }, (_, i) => `a${i}.example.com`);
    expect(problems(() => Environment.fromObject(doc({ stripe: many }), 'prod.yaml'))).toEqual([
      'prod.yaml: domains.stripe: expected a list of 1 to 25 domain names such as [api.example.com, "*.example.com"], got a list of 26 entries',
    ]);
  });

  test('throws for an unknown list name, listing the defined ones', () => {
    const env = Environment.fromObject(doc({ stripe: ['api.stripe.com'] }), 'prod.yaml');
    expect(problems(() => env.domains('strip'))).toEqual([
      'prod.yaml: domains.strip: no domain list named "strip" in environment "prod"; it defines stripe. Did you mean "stripe"? Use one of these names, or add "strip" under domains in the file',
    ]);
  });
});
