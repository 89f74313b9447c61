import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import {
  apiCidrErrors,
  apiDns1123LabelErrors,
  apiDns1123SubdomainErrors,
  apiLabelValueErrors,
  apiPortNameErrors,
  apiPortNumErrors,
  apiQualifiedNameErrors,
  Cidr,
  formatGoIp,
  formatGoIpNet,
  goIpNetStrictlyContains,
  parseGoCidr,
} from '../../lib/model';

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const LEADING_ZEROS = 'must not have leading 0s in IP or prefix length';
const MAPPED = 'must not have an IPv4-mapped IPv6 address';
const HOST_BITS = 'must not have bits set beyond the prefix length';

describe('apiCidrErrors, as the API server checks ipBlock CIDRs', () => {
  // the cases of Kubernetes' own table for IsValidCIDRForLegacyField, strict and legacy
  test.each([
    ['1.0.0.0/8'],
    ['0.0.0.0/0'],
    ['1.1.1.1/32'],
    ['2001:4860:4860::/48'],
    ['::/0'],
    ['::1/128'],
    ['2a00:79e0:2:0::/64'],
    ['2001:DB8::/64'],
  ])('accepts %s in both modes', (cidr) => {
    expect(apiCidrErrors(cidr)).toEqual([]);
    expect(apiCidrErrors(cidr, { legacy: true })).toEqual([]);
  });

  test.each([
    ['1.1.01.0/24', LEADING_ZEROS],
    ['192.168.0.0/016', LEADING_ZEROS],
    ['2001:00db8::/32', LEADING_ZEROS],
    ['::ffff:1.1.1.0/24', MAPPED],
    ['::ffff:1.1.1.0/120', MAPPED],
    ['1.2.3.4/24', HOST_BITS],
    ['2001:db8::1/64', HOST_BITS],
    ['010.0.0.1/8', LEADING_ZEROS],
  ])('rejects %s in strict mode only, with one message', (cidr, message) => {
    expect(apiCidrErrors(cidr)).toEqual([message]);
    expect(apiCidrErrors(cidr, { legacy: true })).toEqual([]);
  });

  test.each([
    [''],
    ['aaaaaaa'],
    ['1.2.3.4'],
    ['192.168.0.1/healthz'],
    ['192.168.0.1/0/99'],
    ['192.168.0.0/-16'],
    ['192.168.0.0/+16'],
    ['10.0.0.0/33'],
    ['::/129'],
    ['fe80::1%eth0/64'],
    ['1.2.3.256/32'],
    [':::1/128'],
  ])('rejects %j in both modes as not a CIDR', (cidr) => {
    expect(apiCidrErrors(cidr)).toEqual([INVALID_CIDR]);
    expect(apiCidrErrors(cidr, { legacy: true })).toEqual([INVALID_CIDR]);
  });

  test('strict mode accepts an IPv4 CIDR exactly when no bit is set beyond the prefix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (value, prefix) => {
        const text = `${[24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.')}/${prefix}`;
        const hostBits = prefix === 32 ? 0 : value % 2 ** (32 - prefix);
        expect(apiCidrErrors(text)).toEqual(hostBits === 0 ? [] : [HOST_BITS]);
        expect(apiCidrErrors(text, { legacy: true })).toEqual([]);
      }),
    );
  });
});

describe('parseGoCidr, Go net.ParseCIDR as Kubernetes uses it', () => {
  test('keeps the address as written and masks the network', () => {
    const net = parseGoCidr('10.0.0.1/24')!;
    expect(net.ip).toEqual([10, 0, 0, 1]);
    expect(net.network).toEqual([10, 0, 0, 0]);
    expect([net.ones, net.bits]).toEqual([24, 32]);
    expect(formatGoIpNet(net)).toBe('10.0.0.0/24');
  });

  test('accepts any number of leading zeros, like the sloppy parser, and flags them', () => {
    const net = parseGoCidr('0010.000.0.0/0008')!;
    expect(formatGoIpNet(net)).toBe('10.0.0.0/8');
    expect(net.hasLeadingZeros).toBe(true);
    expect(parseGoCidr('10.0.0.0/8')!.hasLeadingZeros).toBe(false);
  });

  test('reads an IPv4-mapped IPv6 CIDR as IPv6 with a 128-bit mask, printed as IPv4', () => {
    const net = parseGoCidr('::ffff:10.0.0.0/104')!;
    expect([net.ones, net.bits]).toEqual([104, 128]);
    expect(formatGoIpNet(net)).toBe('10.0.0.0/8');
  });
});

describe('goIpNetStrictlyContains, the except rule of ipBlock', () => {
  const strictly = (a: string, b: string) => goIpNetStrictlyContains(parseGoCidr(a)!, parseGoCidr(b)!);

  test('needs the except inside the cidr and with a longer prefix', () => {
    expect(strictly('10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(strictly('10.0.0.0/16', '10.0.0.0/16')).toBe(false);
    expect(strictly('10.0.0.0/16', '10.1.0.0/24')).toBe(false);
    expect(strictly('10.0.0.0/8', '2001:db8::/64')).toBe(false);
  });

  test('compares prefix lengths as written, so an IPv4-mapped /104 is not wider than an IPv4 /16', () => {
    expect(strictly('::ffff:10.0.0.0/104', '10.1.0.0/16')).toBe(false);
    expect(strictly('::ffff:10.0.0.0/104', '::ffff:10.1.0.0/112')).toBe(true);
  });

  test('agrees with Cidr.strictlyContains of the model on canonical CIDRs', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([v, p]) => {
      const masked = p === 0 ? 0 : (v >>> (32 - p)) * 2 ** (32 - p);
      return `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) & 255).join('.')}/${p}`;
    });
    fc.assert(
      fc.property(v4, v4, (a, b) => {
        expect(goIpNetStrictlyContains(parseGoCidr(a)!, parseGoCidr(b)!)).toBe(Cidr.parse(a).strictlyContains(Cidr.parse(b)));
      }),
    );
  });
});

describe('formatGoIp', () => {
  test('prints IPv6 in RFC 5952 form, as ipaddr.js does', () => {
    const bytes = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(bytes, (b) => {
        fc.pre(!(b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255));
        expect(formatGoIp(b)).toBe(ipaddr.fromByteArray(b).toString());
      }),
    );
  });

  test('prints an IPv4-mapped address as IPv4, as Go does', () => {
    expect(formatGoIp([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 192, 0, 2, 1])).toBe('192.0.2.1');
  });
});

describe('name and label checks with the API server messages', () => {
  const LABEL_REGEX =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const SUBDOMAIN_REGEX =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const NAME_PART =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  test('a DNS label says "must not contain dots" for a valid subdomain', () => {
    expect(apiDns1123LabelErrors('shop.prod')).toEqual(['must not contain dots']);
    expect(apiDns1123LabelErrors('Shop')).toEqual([LABEL_REGEX]);
    expect(apiDns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(apiDns1123LabelErrors('shop-prod')).toEqual([]);
  });

  test('a DNS subdomain allows dots and 253 characters', () => {
    expect(apiDns1123SubdomainErrors('allow.web-v2')).toEqual([]);
    expect(apiDns1123SubdomainErrors('Allow_Web')).toEqual([SUBDOMAIN_REGEX]);
    expect(apiDns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });

  test('a qualified name checks the prefix and the name part', () => {
    expect(apiQualifiedNameErrors('example.com/MyName')).toEqual([]);
    expect(apiQualifiedNameErrors('/name')).toEqual(['prefix part must be non-empty']);
    expect(apiQualifiedNameErrors('Example.com/app')).toEqual([`prefix part ${SUBDOMAIN_REGEX}`]);
    expect(apiQualifiedNameErrors('example.com/')).toEqual(['name part must be non-empty', NAME_PART]);
    expect(apiQualifiedNameErrors('a'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
    expect(apiQualifiedNameErrors('a/b/c')).toEqual([
      "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });

  test('a label value may be empty, and counts bytes', () => {
    expect(apiLabelValueErrors('')).toEqual([]);
    expect(apiLabelValueErrors('é'.repeat(32))).toEqual([
      'must be no more than 63 bytes',
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  test('port numbers run from 1 to 65535 and port names follow the server order of checks', () => {
    expect(apiPortNumErrors(0)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(apiPortNumErrors(65535)).toEqual([]);
    expect(apiPortNameErrors('http')).toEqual([]);
    expect(apiPortNameErrors('-1234567890123456-')).toEqual([
      'must be no more than 15 characters',
      'must contain at least one letter (a-z)',
      'must not begin or end with a hyphen',
    ]);
    expect(apiPortNameErrors('')).toEqual([
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
  });
});
