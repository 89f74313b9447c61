import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { DefaultDeny, Environment } from '../../lib';
import { buildExamples } from '../../examples';

describe('the NetworkPolicy ApiObject', () => {
  test('renders exactly what cdk8s own toJson renders, for every example object', () => {
    const app = new App();
    buildExamples(app, Environment.load(`${__dirname}/../../examples/environments/prod.yaml`));
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(ApiObject.prototype.toJson.call(o)));
    }
  });

  test('takes cdk8s own path when a JSON patch is added', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'n' });
    const deny = new DefaultDeny(chart, 'deny');
    const obj = deny.node.findChild('Resource') as ApiObject;
    obj.addJsonPatch(JsonPatch.add('/metadata/labels', { patched: 'yes' }));
    expect(Testing.synth(chart)[0].metadata.labels).toEqual({ patched: 'yes' });
  });
});

describe('the metadata of the NetworkPolicy ApiObject', () => {
  test('carries chart labels and annotations exactly as cdk8s renders them', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n', labels: { team: 'x' } });
    const deny = new DefaultDeny(chart, 'deny', { annotations: { b: '2', a: '1' }, labels: { z: 'y' } });
    const obj = deny.node.findChild('Resource') as ApiObject;
    expect(obj.toJson().metadata).toEqual({ annotations: { a: '1', b: '2' }, labels: { team: 'x', z: 'y' }, name: 'deny', namespace: 'n' });
    expect(JSON.stringify(obj.toJson())).toBe(JSON.stringify(ApiObject.prototype.toJson.call(obj)));
  });

  test('leaves metadata with finalizers or other fields to cdk8s', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const obj = new DefaultDeny(chart, 'deny').node.findChild('Resource') as ApiObject;
    obj.metadata.addFinalizers('example.com/keep');
    obj.metadata.add('generateName', 'deny-');
    expect(obj.toJson().metadata).toEqual({ finalizers: ['example.com/keep'], generateName: 'deny-', name: 'deny', namespace: 'n' });
  });
});
