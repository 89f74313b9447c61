import { IssueCollector, joinPath, NetpolError } from '../../lib/model';

describe('NetpolError', () => {
  test('ofValue builds an error about a value with no path yet, which under places at its field', () => {
    const e = NetpolError.ofValue('cidr.invalid', 'bad value');
    expect(e.issues).toEqual([{ code: 'cidr.invalid', path: '', message: 'bad value' }]);
    expect(e.message).toBe('bad value');
    expect(e.under('spec.ingress[0].from[0].ipBlock.cidr').message).toBe('spec.ingress[0].from[0].ipBlock.cidr: bad value');
  });

  test('about builds an error about a whole input whose message starts with that input', () => {
    const e = NetpolError.about('a.yaml:3', 'io.limit', 'too deep');
    expect(e.issues).toEqual([{ code: 'io.limit', path: '', message: 'a.yaml:3: too deep' }]);
    expect(e.message).toBe('a.yaml:3: too deep');
    expect(new NetpolError([...e.issues, ...NetpolError.about('b.yaml', 'io.read', 'cannot be read').issues]).message).toBe(
      'a.yaml:3: too deep\nb.yaml: cannot be read',
    );
  });

  test('of builds an error with one issue whose message is the issue message when the path is empty', () => {
    const e = NetpolError.of('cidr.invalid', '', 'bad value');
    expect(e.issues).toEqual([{ code: 'cidr.invalid', path: '', message: 'bad value' }]);
    expect(e.message).toBe('bad value');
    expect(e.code).toBe('cidr.invalid');
    expect(e.name).toBe('NetpolError');
    expect(e).toBeInstanceOf(Error);
  });

  test('message prefixes each issue with its path, one line per issue', () => {
    const e = new NetpolError([
      { code: 'a', path: 'spec.podSelector', message: 'first' },
      { code: 'b', path: '', message: 'second' },
    ]);
    expect(e.message).toBe('spec.podSelector: first\nsecond');
  });

  test('a located error with one issue reads where: path: message on one line', () => {
    const e = NetpolError.of('x', 'spec.ingress[0]', 'broken').at('app/web');
    expect(e.message).toBe('app/web: spec.ingress[0]: broken');
    expect(e.where).toBe('app/web');
  });

  test('a located error with several issues lists them indented under where', () => {
    const e = new NetpolError(
      [
        { code: 'a', path: 'cidr', message: 'one' },
        { code: 'b', path: 'except[0]', message: 'two' },
      ],
      'env/prod.yaml#0',
    );
    expect(e.message).toBe('env/prod.yaml#0:\n  cidr: one\n  except[0]: two');
  });

  test('code is the first issue code, or unknown without issues', () => {
    expect(
      new NetpolError([
        { code: 'first', path: '', message: 'm' },
        { code: 'second', path: '', message: 'm' },
      ]).code,
    ).toBe('first');
    expect(new NetpolError([]).code).toBe('unknown');
  });

  test('under adds a path prefix to every issue and keeps where', () => {
    const e = new NetpolError(
      [
        { code: 'a', path: 'port', message: 'one' },
        { code: 'b', path: '[1]', message: 'two' },
        { code: 'c', path: '', message: 'three' },
      ],
      'here',
    ).under('spec.ingress[0].ports[0]');
    expect(e.issues.map((i) => i.path)).toEqual([
      'spec.ingress[0].ports[0].port',
      'spec.ingress[0].ports[0][1]',
      'spec.ingress[0].ports[0]',
    ]);
    expect(e.where).toBe('here');
  });

  test('at keeps the issues and sets where', () => {
    const original = NetpolError.of('a', 'p', 'm');
    const located = original.at('file.yaml');
    expect(located.issues).toEqual(original.issues);
    expect(original.where).toBeUndefined();
  });

  test('isNetpolError recognises the brand and rejects other values', () => {
    expect(NetpolError.isNetpolError(NetpolError.of('a', '', 'm'))).toBe(true);
    expect(NetpolError.isNetpolError(new Error('m'))).toBe(false);
    expect(NetpolError.isNetpolError(null)).toBe(false);
    expect(NetpolError.isNetpolError('NetpolError')).toBe(false);
    expect(NetpolError.isNetpolError({ [Symbol.for('cdk8s-netpol.NetpolError')]: true })).toBe(true);
  });
});

describe('joinPath', () => {
  test('joins names with a dot and indexes without one', () => {
    expect(joinPath('spec', 'podSelector')).toBe('spec.podSelector');
    expect(joinPath('except', '[2]')).toBe('except[2]');
  });

  test('returns the other part when one part is empty', () => {
    expect(joinPath('', 'cidr')).toBe('cidr');
    expect(joinPath('cidr', '')).toBe('cidr');
    expect(joinPath('', '')).toBe('');
  });
});

describe('IssueCollector', () => {
  test('collects issues from add and from thrown errors under a prefix, then throws them all', () => {
    const c = new IssueCollector();
    c.add('first', 'metadata.name', 'bad name');
    const value = c.collect('spec.ingress[0]', () => {
      throw NetpolError.of('second', 'ports[0]', 'bad port');
    });
    expect(value).toBeUndefined();
    expect(() => c.throwIfAny('chart/policy')).toThrow('chart/policy:\n  metadata.name: bad name\n  spec.ingress[0].ports[0]: bad port');
  });

  test('collect returns the value of a function that does not throw', () => {
    const c = new IssueCollector();
    expect(c.collect('x', () => 42)).toBe(42);
    expect(c.issues).toEqual([]);
    expect(() => c.throwIfAny()).not.toThrow();
  });

  test('throws other errors through collect unchanged', () => {
    const c = new IssueCollector();
    const boom = new TypeError('boom');
    expect(() =>
      c.collect('x', () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(c.issues).toEqual([]);
  });
});
