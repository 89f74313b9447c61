import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DefaultDeny, Environment, LabelSelector, Peer, Port, SelectorExpression, SelectorOperator, Tier } from '../../lib';
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

describe('the spec of the NetworkPolicy ApiObject', () => {
  const labelKey = fc.constantFrom('app', 'tier', '9', '10', 'example.com/team', 'a', 'Z');
  const labels = fc.dictionary(labelKey, fc.constantFrom('web', 'db', '1', 'x.y'), { maxKeys: 3 });
  const expression = fc.oneof(
    fc.record({ key: labelKey, operator: fc.constant(SelectorOperator.IN), values: fc.constant(['a', 'b']) }),
    fc.record({ key: labelKey, operator: fc.constant(SelectorOperator.EXISTS) }),
  );
  const selector = fc.tuple(labels, fc.array(expression, { maxLength: 2 })).map(([l, x]) => LabelSelector.of(l, x as SelectorExpression[]));
  const peer = fc.oneof(
    selector.map((s) => Peer.pods(s)),
    selector.map((s) => Peer.namespaces(s)),
    selector.map((s) => Peer.podsInNamespace('other', s)),
    fc.constant(Peer.namespace('kube-system')),
    fc.constant(Peer.cidr('10.0.0.0/16', ['10.0.1.0/24'])),
    fc.constant(Peer.anyIpv4()),
  );
  const port = fc.oneof(
    fc.integer({ min: 1, max: 65535 }).map((p) => Port.tcp(p)),
    fc.integer({ min: 1, max: 65535 }).map((p) => Port.udp(p)),
    fc.integer({ min: 1, max: 1000 }).map((p) => Port.sctpRange(p, p + 10)),
    fc.constant(Port.named('http')),
    fc.constant(Port.allTcp()),
  );
  const statement = fc.record({ from: fc.boolean(), peer, ports: fc.array(port, { maxLength: 3 }) });

  test('is what cdk8s renders with its own sorting, for any tier', () => {
    fc.assert(
      fc.property(selector, fc.array(statement, { minLength: 1, maxLength: 4 }), labels, (pods, statements, meta) => {
        const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
        const tier = new Tier(chart, 'tier', { pods, labels: meta, annotations: meta });
        for (const s of statements) {
          if (s.from) tier.allowFrom(s.peer, ...s.ports);
          else tier.allowTo(s.peer, ...s.ports);
        }
        const obj = tier.node.findChild('Resource') as ApiObject;
        expect(JSON.stringify(obj.toJson())).toBe(JSON.stringify(ApiObject.prototype.toJson.call(obj)));
      }),
      { numRuns: 200 },
    );
  });
});
