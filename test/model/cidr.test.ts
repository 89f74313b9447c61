import * as fc from 'fast-check';
import { apiCidrErrors, Cidr, formatIp, IpBlock, parseIp } from '../../lib/model';
import { caught, issuesOf } from './caught';

const invalidCidr = (text: string) => `"${text}" is not a valid CIDR; expected address/prefix such as "10.0.0.0/16" or "2001:db8::/32"`;
const v4 = (text: string) => parseIp(text);

describe('Cidr.parse', () => {
  test.each([
    ['10.0.0.0/16', 4, 0x0a000000n, 16],
    ['0.0.0.0/0', 4, 0n, 0],
    ['255.255.255.255/32', 4, 0xffffffffn, 32],
    ['192.168.1.7/32', 4, 0xc0a80107n, 32],
    ['172.16.0.0/12', 4, 0xac100000n, 12],
  ])('reads the IPv4 block %p', (text, family, network, prefix) => {
    const c = Cidr.parse(text);
    expect([c.family, c.network, c.prefix]).toEqual([family, network, prefix]);
    expect(c.toString()).toBe(text);
  });

  test.each([
    ['2001:db8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::1/128', '::1/128'],
    ['FE80::/10', 'fe80::/10'],
    ['2001:0db8:0000:0000::/64', '2001:db8::/64'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['1:2:3:4:5:6:1.2.3.4/128', '1:2:3:4:5:6:102:304/128'],
  ])('reads the IPv6 block %p and prints it as %p', (text, printed) => {
    const c = Cidr.parse(text);
    expect(c.family).toBe(6);
    expect(c.toString()).toBe(printed);
  });

  test('reads an IPv4-compatible address ::a.b.c.d as IPv6, not as IPv4-mapped', () => {
    const c = Cidr.parse('::1.2.3.4/128');
    expect(c.family).toBe(6);
    expect(c.network).toBe(0x01020304n);
    expect(c.toString()).toBe('::102:304/128');
  });

  test('gives first and last addresses of the block', () => {
    const c = Cidr.parse('10.0.1.0/24');
    expect(formatIp(4, c.first)).toBe('10.0.1.0');
    expect(formatIp(4, c.last)).toBe('10.0.1.255');
    expect(Cidr.parse('2001:db8::/126').last - Cidr.parse('2001:db8::/126').first).toBe(3n);
  });

  test('throws mask-missing with a "Did you mean" hint for an IPv4 address', () => {
    expect(issuesOf(() => Cidr.parse('10.0.0.5'))).toEqual([
      { code: 'cidr.mask-missing', path: '', message: 'CIDR mask is missing in "10.0.0.5". Did you mean "10.0.0.5/32"?' },
    ]);
  });

  test('throws mask-missing with a /128 hint for an IPv6 address', () => {
    expect(() => Cidr.parse('2001:db8::1')).toThrow(new Error('CIDR mask is missing in "2001:db8::1". Did you mean "2001:db8::1/128"?'));
  });

  test('throws mask-missing without a hint for an address the API server rejects', () => {
    expect(() => Cidr.parse('010.0.0.5')).toThrow(
      new Error('CIDR mask is missing in "010.0.0.5". Write it as address/prefix, e.g. "10.0.0.0/16".'),
    );
    expect(() => Cidr.parse('::ffff:10.0.0.5')).toThrow(
      new Error('CIDR mask is missing in "::ffff:10.0.0.5". Write it as address/prefix, e.g. "10.0.0.0/16".'),
    );
  });

  test.each(['example.com', 'db.internal', 'localhost', 'my-service.default.svc.cluster.local.', 'api.example.com'])(
    'throws for the hostname %p and explains that DNS names cannot be matched',
    (host) => {
      expect(issuesOf(() => Cidr.parse(host))).toEqual([
        {
          code: 'cidr.hostname',
          path: '',
          message: `"${host}" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer`,
        },
      ]);
    },
  );

  test('throws for host bits beyond the prefix, naming both fixes', () => {
    expect(issuesOf(() => Cidr.parse('10.0.0.1/24'))).toEqual([
      {
        code: 'cidr.host-bits',
        path: '',
        message:
          'CIDR "10.0.0.1/24" has bits set beyond its /24 prefix; write the network address "10.0.0.0/24" (or "10.0.0.1/32" for the single address)',
      },
    ]);
    expect(() => Cidr.parse('2001:db8::1/64')).toThrow(
      new Error(
        'CIDR "2001:db8::1/64" has bits set beyond its /64 prefix; write the network address "2001:db8::/64" (or "2001:db8::1/128" for the single address)',
      ),
    );
  });

  test('accepts host bits in legacy mode and keeps the network', () => {
    expect(Cidr.parse('10.0.0.1/24', { legacy: true }).toString()).toBe('10.0.0.0/24');
    expect(Cidr.parse('2001:db8::1/64', { legacy: true }).toString()).toBe('2001:db8::/64');
  });

  test('throws for a leading zero in an IPv4 octet, with the corrected address', () => {
    expect(issuesOf(() => Cidr.parse('010.0.0.0/8'))).toEqual([
      {
        code: 'ip.leading-zero',
        path: '',
        message:
          'in CIDR "010.0.0.0/8": IP address "010.0.0.0" has a leading zero in an octet, which the API server rejects; write "10.0.0.0"',
      },
    ]);
  });

  test('throws for a leading zero in the dotted tail of an IPv6 address', () => {
    expect(() => Cidr.parse('1:2:3:4:5:6:010.0.0.1/128')).toThrow(
      new Error(
        'in CIDR "1:2:3:4:5:6:010.0.0.1/128": IP address "1:2:3:4:5:6:010.0.0.1" has a leading zero in an octet, which the API server rejects; write "1:2:3:4:5:6:10.0.0.1"',
      ),
    );
  });

  test('reads leading zeros as decimal in legacy mode', () => {
    expect(Cidr.parse('010.001.000.000/16', { legacy: true }).toString()).toBe('10.1.0.0/16');
    expect(Cidr.parse('1:2:3:4:5:6:010.0.0.1/128', { legacy: true }).toString()).toBe('1:2:3:4:5:6:a00:1/128');
  });

  test('throws for a leading zero in the prefix length, and accepts it in legacy mode', () => {
    expect(() => Cidr.parse('10.0.0.0/08')).toThrow(new Error('"10.0.0.0/08" has an invalid prefix length "08"; an IPv4 prefix is 0-32'));
    expect(Cidr.parse('10.0.0.0/08', { legacy: true }).toString()).toBe('10.0.0.0/8');
  });

  test('throws for an IPv4-mapped IPv6 address, naming the IPv4 address to write', () => {
    expect(issuesOf(() => Cidr.parse('::ffff:10.0.0.0/104'))).toEqual([
      {
        code: 'ip.ipv4-mapped',
        path: '',
        message:
          'in CIDR "::ffff:10.0.0.0/104": IP address "::ffff:10.0.0.0" is an IPv4-mapped IPv6 address, which the API server rejects; write the IPv4 address "10.0.0.0" instead',
      },
    ]);
    expect(caught(() => Cidr.parse('::ffff:a00:0/104')).code).toBe('ip.ipv4-mapped');
  });

  test('reads an IPv4-mapped block with a prefix of 96 or more as the IPv4 block in legacy mode', () => {
    const c = Cidr.parse('::ffff:10.0.0.0/104', { legacy: true });
    expect(c.family).toBe(4);
    expect(c.toString()).toBe('10.0.0.0/8');
    expect(Cidr.parse('::ffff:10.1.2.3/128', { legacy: true }).toString()).toBe('10.1.2.3/32');
    expect(Cidr.parse('::ffff:10.1.2.3/96', { legacy: true }).toString()).toBe('0.0.0.0/0');
  });

  test('reads an IPv4-mapped block with a prefix below 96 as an IPv6 block in legacy mode', () => {
    expect(Cidr.parse('::ffff:10.0.0.0/80', { legacy: true }).toString()).toBe('::/80');
    expect(Cidr.parse('::ffff:10.0.0.0/88', { legacy: true }).toString()).toBe('::ff00:0:0/88');
  });

  test('throws for a legacy IPv4-mapped block with a prefix above 128', () => {
    expect(() => Cidr.parse('::ffff:10.0.0.0/129', { legacy: true })).toThrow(
      new Error('"::ffff:10.0.0.0/129" has an invalid prefix length "129"; an IPv6 prefix is 0-128'),
    );
  });

  test('suggests /128 for a legacy IPv4-mapped address without a mask', () => {
    expect(() => Cidr.parse('::ffff:10.0.0.5', { legacy: true })).toThrow(
      new Error('CIDR mask is missing in "::ffff:10.0.0.5". Did you mean "::ffff:10.0.0.5/128"?'),
    );
  });

  test.each([
    ['10.0.0.0/33', '33', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/-1', '-1', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/', '', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/abc', 'abc', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/+8', '+8', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/8 ', '8 ', 'an IPv4 prefix is 0-32'],
    ['10.0.0.0/8/8', '8/8', 'an IPv4 prefix is 0-32'],
    ['2001:db8::/129', '129', 'an IPv6 prefix is 0-128'],
    ['2001:db8::/1.5', '1.5', 'an IPv6 prefix is 0-128'],
  ])('throws for the prefix out of range in %p', (text, prefix, rule) => {
    expect(issuesOf(() => Cidr.parse(text))).toEqual([
      { code: 'cidr.prefix', path: '', message: `"${text}" has an invalid prefix length "${prefix}"; ${rule}` },
    ]);
  });

  test.each([
    'hello world',
    '',
    '10.0.0',
    '10.0.0.0.0',
    '300.1.1.1/8',
    '010.0.0.300/8',
    '10.0.0.0.0/8',
    'foo/8',
    ' 10.0.0.0/8',
    '1::2::3/64',
    'fe80::1%eth0/64',
    '::ffff:0x1.2.3.4/128',
    '1:2:3:4:5:6:7:1.2.3.4/128',
    '/8',
  ])('throws for the garbage %p', (text) => {
    expect(issuesOf(() => Cidr.parse(text))).toEqual([{ code: 'cidr.invalid', path: '', message: invalidCidr(text) }]);
  });

  test('throws for a value that is not a string', () => {
    expect(issuesOf(() => Cidr.parse(42 as unknown as string))).toEqual([
      { code: 'cidr.type', path: '', message: 'expected a CIDR string such as "10.0.0.0/16", got 42' },
    ]);
    expect(() => Cidr.parse(null as unknown as string)).toThrow(new Error('expected a CIDR string such as "10.0.0.0/16", got null'));
  });
});

describe('Cidr.isValid', () => {
  test('answers by parsing, with the same options', () => {
    expect(Cidr.isValid('10.0.0.0/8')).toBe(true);
    expect(Cidr.isValid('10.0.0.1/8')).toBe(false);
    expect(Cidr.isValid('10.0.0.1/8', { legacy: true })).toBe(true);
    expect(Cidr.isValid('example.com')).toBe(false);
  });
});

describe('Cidr relations', () => {
  const c16 = Cidr.parse('10.0.0.0/16');
  const c24 = Cidr.parse('10.0.1.0/24');
  const other = Cidr.parse('10.1.0.0/16');
  const v6 = Cidr.parse('::/0');

  test('contains a block inside it and itself, not one outside or of the other family', () => {
    expect(c16.contains(c24)).toBe(true);
    expect(c16.contains(c16)).toBe(true);
    expect(c24.contains(c16)).toBe(false);
    expect(c16.contains(other)).toBe(false);
    expect(Cidr.ANY_IPV4.contains(c16)).toBe(true);
    expect(v6.contains(c16)).toBe(false);
  });

  test('strictlyContains refuses the block itself', () => {
    expect(c16.strictlyContains(c24)).toBe(true);
    expect(c16.strictlyContains(Cidr.parse('10.0.0.0/16'))).toBe(false);
    expect(c24.strictlyContains(c16)).toBe(false);
  });

  test('overlaps when an address is shared, in either direction', () => {
    expect(c16.overlaps(c24)).toBe(true);
    expect(c24.overlaps(c16)).toBe(true);
    expect(c16.overlaps(other)).toBe(false);
    expect(Cidr.parse('10.0.0.0/24').overlaps(Cidr.parse('10.0.1.0/24'))).toBe(false);
    expect(v6.overlaps(Cidr.ANY_IPV4)).toBe(false);
  });

  test('containsIp checks family and range', () => {
    expect(c24.containsIp(v4('10.0.1.0'))).toBe(true);
    expect(c24.containsIp(v4('10.0.1.255'))).toBe(true);
    expect(c24.containsIp(v4('10.0.2.0'))).toBe(false);
    expect(c24.containsIp(v4('10.0.0.255'))).toBe(false);
    expect(v6.containsIp(v4('10.0.1.1'))).toBe(false);
    expect(v6.containsIp(parseIp('2001:db8::1'))).toBe(true);
  });

  test('equals, kept for TypeScript, answers as isEqualTo', () => {
    expect(c16.equals(Cidr.parse('10.0.0.0/16'))).toBe(true);
    expect(c16.equals(Cidr.parse('10.0.0.0/17'))).toBe(false);
  });

  test('isEqualTo compares family, network and prefix', () => {
    expect(c16.isEqualTo(Cidr.parse('10.0.0.0/16'))).toBe(true);
    expect(c16.isEqualTo(Cidr.parse('10.0.0.0/17'))).toBe(false);
    expect(Cidr.ANY_IPV4.isEqualTo(Cidr.ANY_IPV6)).toBe(false);
  });

  test('compare orders IPv4 before IPv6, then by address, then by prefix', () => {
    const sorted = ['2001:db8::/32', '10.0.0.0/24', '::/0', '10.0.0.0/16', '9.0.0.0/8']
      .map((t) => Cidr.parse(t))
      .sort(Cidr.compare)
      .map(String);
    expect(sorted).toEqual(['9.0.0.0/8', '10.0.0.0/16', '10.0.0.0/24', '::/0', '2001:db8::/32']);
  });

  test('ANY_IPV4 and ANY_IPV6 are the whole spaces', () => {
    expect(Cidr.ANY_IPV4.toString()).toBe('0.0.0.0/0');
    expect(Cidr.ANY_IPV6.toString()).toBe('::/0');
    expect(Cidr.ANY_IPV4.last).toBe(0xffffffffn);
    expect(Cidr.ANY_IPV6.last).toBe((1n << 128n) - 1n);
  });
});

describe('parseIp and formatIp', () => {
  test('parse IPv4 and IPv6 addresses to integers and print them back', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(formatIp(4, 0x0a010203n)).toBe('10.1.2.3');
    expect(formatIp(6, 0x20010db8000000000000000000000001n)).toBe('2001:db8::1');
  });

  test('throws for something that is not an address', () => {
    expect(issuesOf(() => parseIp('256.0.0.1'))).toEqual([
      { code: 'ip.invalid', path: '', message: '"256.0.0.1" is not a valid IP address' },
    ]);
    expect(() => parseIp('10.0.0.0/8')).toThrow(new Error('"10.0.0.0/8" is not a valid IP address'));
    expect(() => parseIp('fe80::1%eth0')).toThrow(new Error('"fe80::1%eth0" is not a valid IP address'));
  });

  test('throws for a leading zero and for an IPv4-mapped address, unless legacy', () => {
    expect(() => parseIp('10.01.0.1')).toThrow(
      new Error('IP address "10.01.0.1" has a leading zero in an octet, which the API server rejects; write "10.1.0.1"'),
    );
    expect(parseIp('10.01.0.1', { legacy: true })).toEqual({ family: 4, value: 0x0a010001n });
    expect(() => parseIp('::ffff:1.2.3.4')).toThrow(
      new Error(
        'IP address "::ffff:1.2.3.4" is an IPv4-mapped IPv6 address, which the API server rejects; write the IPv4 address "1.2.3.4" instead',
      ),
    );
    expect(parseIp('::ffff:1.2.3.4', { legacy: true })).toEqual({ family: 4, value: 0x01020304n });
  });
});

describe('IpBlock.of', () => {
  test('builds a block without excepts from text or a Cidr', () => {
    expect(IpBlock.of('10.0.0.0/16').toString()).toBe('10.0.0.0/16');
    expect(IpBlock.of(Cidr.parse('10.0.0.0/16')).cidr.isEqualTo(Cidr.parse('10.0.0.0/16'))).toBe(true);
  });

  test('prints excepts after the cidr, in address order', () => {
    expect(IpBlock.of('10.0.0.0/16', ['10.0.1.0/24']).toString()).toBe('10.0.0.0/16 except 10.0.1.0/24');
    expect(IpBlock.of('10.0.0.0/16', ['10.0.2.0/24', Cidr.parse('10.0.1.0/24')]).toString()).toBe(
      '10.0.0.0/16 except 10.0.1.0/24, 10.0.2.0/24',
    );
  });

  test('throws for an except equal to the cidr, because it must be strictly inside', () => {
    expect(issuesOf(() => IpBlock.of('10.0.0.0/16', ['10.0.0.0/16']))).toEqual([
      {
        code: 'ipblock.except-outside',
        path: 'except[0]',
        message: 'except "10.0.0.0/16" must be strictly within the cidr "10.0.0.0/16"; remove it or use a smaller range inside the cidr',
      },
    ]);
  });

  test('throws for an except outside the cidr', () => {
    expect(() => IpBlock.of('10.0.0.0/16', ['10.1.0.0/24'])).toThrow(
      new Error(
        'except[0]: except "10.1.0.0/24" must be strictly within the cidr "10.0.0.0/16"; remove it or use a smaller range inside the cidr',
      ),
    );
  });

  test('throws for an except of the other family', () => {
    expect(issuesOf(() => IpBlock.of('10.0.0.0/16', ['2001:db8::/64']))).toEqual([
      {
        code: 'ipblock.except-family',
        path: 'except[0]',
        message:
          'except "2001:db8::/64" is IPv6 but the cidr "10.0.0.0/16" is IPv4; an except must be of the same family and inside the cidr',
      },
    ]);
  });

  test('throws every issue at once, each with its path', () => {
    const e = caught(() => IpBlock.of('10.0.0.0/16', ['10.0.1.0/24', '10.0.0.5', '192.168.0.0/24', 'example.com']));
    expect(e.issues).toEqual([
      { code: 'cidr.mask-missing', path: 'except[1]', message: 'CIDR mask is missing in "10.0.0.5". Did you mean "10.0.0.5/32"?' },
      {
        code: 'ipblock.except-outside',
        path: 'except[2]',
        message: 'except "192.168.0.0/24" must be strictly within the cidr "10.0.0.0/16"; remove it or use a smaller range inside the cidr',
      },
      {
        code: 'cidr.hostname',
        path: 'except[3]',
        message:
          '"example.com" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer',
      },
    ]);
    expect(e.message.split('\n').map((l) => l.split(':')[0])).toEqual(['except[1]', 'except[2]', 'except[3]']);
  });

  test('throws for a bad cidr and bad excepts together, checking excepts only for syntax', () => {
    expect(issuesOf(() => IpBlock.of('10.0.0.1/16', ['10.9.0.0/24', '10.0.0.1/24']))).toEqual([
      {
        code: 'cidr.host-bits',
        path: 'cidr',
        message:
          'CIDR "10.0.0.1/16" has bits set beyond its /16 prefix; write the network address "10.0.0.0/16" (or "10.0.0.1/32" for the single address)',
      },
      {
        code: 'cidr.host-bits',
        path: 'except[1]',
        message:
          'CIDR "10.0.0.1/24" has bits set beyond its /24 prefix; write the network address "10.0.0.0/24" (or "10.0.0.1/32" for the single address)',
      },
    ]);
  });

  test('throws for a cidr that is not a string', () => {
    expect(issuesOf(() => IpBlock.of(42 as unknown as string))).toEqual([
      { code: 'cidr.type', path: 'cidr', message: 'expected a CIDR string such as "10.0.0.0/16", got 42' },
    ]);
  });

  test('passes legacy parsing on to the cidr and the excepts', () => {
    expect(IpBlock.of('10.0.0.1/16', ['010.0.1.0/24'], { legacy: true }).toString()).toBe('10.0.0.0/16 except 10.0.1.0/24');
  });

  test('ranges are the cidr minus its excepts, sorted', () => {
    const b = IpBlock.of('10.0.0.0/16', ['10.0.255.0/24', '10.0.0.0/24', '10.0.1.128/25']);
    expect(b.ranges().map(([a, z]) => `${formatIp(4, a)}-${formatIp(4, z)}`)).toEqual(['10.0.1.0-10.0.1.127', '10.0.2.0-10.0.254.255']);
    expect(IpBlock.of('10.0.0.0/24').ranges()).toEqual([[0x0a000000n, 0x0a0000ffn]]);
  });

  test('ranges cope with nested and repeated excepts', () => {
    const b = IpBlock.of('10.0.0.0/24', ['10.0.0.0/25', '10.0.0.0/26', '10.0.0.0/25']);
    expect(b.ranges()).toEqual([[0x0a000080n, 0x0a0000ffn]]);
  });

  test('containsIp is true inside the cidr and outside every except', () => {
    const b = IpBlock.of('172.17.0.0/16', ['172.17.1.0/24']);
    expect(b.containsIp(v4('172.17.0.1'))).toBe(true);
    expect(b.containsIp(v4('172.17.1.1'))).toBe(false);
    expect(b.containsIp(v4('172.18.0.1'))).toBe(false);
  });

  test('equals, kept for TypeScript, answers as isEqualTo', () => {
    expect(IpBlock.of('10.0.0.0/16', ['10.0.1.0/24']).equals(IpBlock.of('10.0.0.0/16', ['10.0.1.0/24']))).toBe(true);
    expect(IpBlock.of('10.0.0.0/16', ['10.0.1.0/24']).equals(IpBlock.of('10.0.0.0/16'))).toBe(false);
  });

  test('except is a frozen copy: changing the given list or the property changes nothing', () => {
    const given = ['10.0.2.0/24', '10.0.1.0/24'];
    const b = IpBlock.of('10.0.0.0/16', given);
    given.push('10.0.3.0/24');
    expect(b.except.map(String)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(Object.isFrozen(b.except)).toBe(true);
    expect(() => b.except.push(Cidr.parse('10.0.4.0/24'))).toThrow(TypeError);
    expect(b.toString()).toBe('10.0.0.0/16 except 10.0.1.0/24, 10.0.2.0/24');
  });

  test('isEqualTo compares the cidr and the sorted excepts', () => {
    expect(
      IpBlock.of('10.0.0.0/16', ['10.0.2.0/24', '10.0.1.0/24']).isEqualTo(IpBlock.of('10.0.0.0/16', ['10.0.1.0/24', '10.0.2.0/24'])),
    ).toBe(true);
    expect(IpBlock.of('10.0.0.0/16', ['10.0.2.0/24']).isEqualTo(IpBlock.of('10.0.0.0/16'))).toBe(false);
    expect(IpBlock.of('10.0.0.0/16').isEqualTo(IpBlock.of('10.0.0.0/17'))).toBe(false);
  });
});

describe('properties', () => {
  // Blocks inside 10.0.0.0/24 with prefixes /24-/32, small enough to check address by address.
  const BASE = 0x0a000000;
  const smallBlock = fc
    .record({ prefix: fc.integer({ min: 24, max: 32 }), offset: fc.integer({ min: 0, max: 255 }) })
    .map(({ prefix, offset }) => {
      const size = 2 ** (32 - prefix);
      return { prefix, offset: offset - (offset % size), size };
    });
  const text = (b: { offset: number; prefix: number }) => `10.0.0.${b.offset}/${b.prefix}`;
  const members = (b: { offset: number; size: number }) => new Set(Array.from({ length: b.size }, (_, i) => b.offset + i));

  test('IpBlock.ranges matches address-by-address membership', () => {
    const blockWithExcepts = smallBlock
      .filter((b) => b.prefix < 32)
      .chain((base) =>
        fc.tuple(
          fc.constant(base),
          fc.array(
            fc
              .record({ prefix: fc.integer({ min: base.prefix + 1, max: 32 }), at: fc.integer({ min: 0, max: base.size - 1 }) })
              .map(({ prefix, at }) => {
                const size = 2 ** (32 - prefix);
                const o = base.offset + at;
                return { prefix, offset: o - (o % size), size };
              }),
            { maxLength: 5 },
          ),
        ),
      );
    fc.assert(
      fc.property(blockWithExcepts, ([base, excepts]) => {
        const block = IpBlock.of(text(base), excepts.map(text));
        const ranges = block.ranges();
        for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1] + 1n);
        const inBase = members(base);
        const excluded = new Set(excepts.flatMap((e) => [...members(e)]));
        const wrong: string[] = [];
        for (let x = 0; x < 256; x++) {
          const expected = inBase.has(x) && !excluded.has(x);
          const value = BigInt(BASE + x);
          if (ranges.some(([a, z]) => a <= value && value <= z) !== expected) wrong.push(`ranges 10.0.0.${x}`);
          if (block.containsIp({ family: 4, value }) !== expected) wrong.push(`containsIp 10.0.0.${x}`);
        }
        expect(wrong).toEqual([]);
      }),
    );
  });

  test('Cidr.contains, strictlyContains and overlaps agree with the address sets', () => {
    fc.assert(
      fc.property(smallBlock, smallBlock, (a, b) => {
        const ca = Cidr.parse(text(a));
        const cb = Cidr.parse(text(b));
        const sa = members(a);
        const sb = members(b);
        const subset = [...sb].every((x) => sa.has(x));
        expect(ca.contains(cb)).toBe(subset);
        expect(ca.strictlyContains(cb)).toBe(subset && sb.size < sa.size);
        expect(ca.overlaps(cb)).toBe([...sb].some((x) => sa.has(x)));
      }),
    );
  });

  test('an IPv4 CIDR parses to the masked network and round-trips through toString', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (value, prefix) => {
        const size = 2 ** (32 - prefix);
        const network = value - (value % size);
        const dotted = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
        const c = Cidr.parse(`${dotted}/${prefix}`);
        expect(c.network).toBe(BigInt(network));
        expect(c.toString()).toBe(`${dotted}/${prefix}`);
        expect(Cidr.parse(c.toString()).isEqualTo(c)).toBe(true);
      }),
    );
  });

  test('an IPv6 CIDR written in full parses to its network and round-trips through its short form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), (value, prefix) => {
        const hostBits = BigInt(128 - prefix);
        const network = (value >> hostBits) << hostBits;
        fc.pre(network >> 32n !== 0xffffn); // IPv4-mapped addresses are refused in strict mode
        const full = Array.from({ length: 8 }, (_, i) => ((network >> BigInt((7 - i) * 16)) & 0xffffn).toString(16)).join(':');
        const c = Cidr.parse(`${full}/${prefix}`);
        expect(c.family).toBe(6);
        expect(c.network).toBe(network);
        const short = c.toString();
        expect(short).toMatch(/^[0-9a-f:]+\/[0-9]+$/);
        expect(short.length).toBeLessThanOrEqual(`${full}/${prefix}`.length);
        expect(Cidr.parse(short).isEqualTo(c)).toBe(true);
        expect(Cidr.parse(short).toString()).toBe(short);
      }),
    );
  });

  test('Cidr.isValid accepts exactly what the API server accepts, strict and legacy', () => {
    const zeros = fc.constantFrom('', '0', '00', '000');
    const octet = fc.tuple(zeros, fc.integer({ min: 0, max: 300 })).map(([z, n]) => `${z}${n}`);
    const dotted = fc.array(octet, { minLength: 3, maxLength: 5 }).map((o) => o.join('.'));
    const group = fc.tuple(zeros, fc.integer({ min: 0, max: 0x1ffff }), fc.boolean()).map(([z, n, upper]) => {
      const hex = `${z}${n.toString(16)}`;
      return upper ? hex.toUpperCase() : hex;
    });
    // 1-9 groups, "::" anywhere or nowhere, an optional dotted tail
    const ipv6 = fc
      .tuple(fc.array(group, { minLength: 1, maxLength: 9 }), fc.integer({ min: -1, max: 9 }), fc.option(dotted))
      .map(([groups, at, tail]) => {
        const parts = [...groups, ...(tail === null ? [] : [tail])];
        return at < 0 || at > parts.length ? parts.join(':') : `${parts.slice(0, at).join(':')}::${parts.slice(at).join(':')}`;
      });
    const mapped = fc.oneof(
      dotted.map((d) => `::ffff:${d}`),
      fc.tuple(group, group).map(([a, b]) => `::ffff:${a}:${b}`),
      dotted.map((d) => `::FFFF:${d}`),
    );
    const odd = fc.constantFrom(
      '',
      '::',
      ':::',
      '::1::',
      '0x0a.0.0.0',
      '1.2.3.4%eth0',
      'fe80::1%eth0',
      '10.0.0.0 ',
      ' 10.0.0.0',
      '10.0.0.0.',
      'example.com',
      '1:2:3:4:5:6:7:8:9',
    );
    const address = fc.oneof(dotted, ipv6, mapped, odd, fc.string({ maxLength: 8 }));
    const prefix = fc.oneof(
      fc.tuple(zeros, fc.integer({ min: 0, max: 140 })).map(([z, n]) => `/${z}${n}`),
      fc.constantFrom('', '/', '/-1', '/+8', '/8 ', '/8/8', '/1.5', '/0x10', '/00000000000000000008', '/4294967304'),
    );
    const cidr = fc.oneof(
      { weight: 9, arbitrary: fc.tuple(address, prefix).map(([a, p]) => `${a}${p}`) },
      { weight: 1, arbitrary: fc.string() },
    );
    fc.assert(
      fc.property(cidr, fc.boolean(), (text, legacy) => {
        expect([text, legacy, Cidr.isValid(text, { legacy })]).toEqual([text, legacy, apiCidrErrors(text, { legacy }).length === 0]);
      }),
      { numRuns: 20000 },
    );
  });
});
