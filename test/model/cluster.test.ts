import { LabelSelector, namespace, NAMESPACE_NAME_LABEL, workloadId } from '../../lib/model';

describe('namespace', () => {
  test('adds the metadata.name label the API server sets', () => {
    expect(namespace('shop', { team: 'a' })).toEqual({ name: 'shop', labels: { team: 'a', [NAMESPACE_NAME_LABEL]: 'shop' } });
    expect(namespace('db').labels).toEqual({ [NAMESPACE_NAME_LABEL]: 'db' });
  });

  test('the name label wins over a conflicting one given by the caller', () => {
    expect(namespace('shop', { [NAMESPACE_NAME_LABEL]: 'other' }).labels[NAMESPACE_NAME_LABEL]).toBe('shop');
  });

  test('is selected by LabelSelector.namespaceName', () => {
    expect(LabelSelector.namespaceName('shop').matches(namespace('shop').labels)).toBe(true);
    expect(LabelSelector.namespaceName('shop').matches(namespace('db').labels)).toBe(false);
  });
});

describe('workloadId', () => {
  test('is namespace/name', () => {
    expect(workloadId({ namespace: 'shop', name: 'web' })).toBe('shop/web');
  });
});
