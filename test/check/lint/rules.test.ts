/**
 * Every rule against a fixture that breaks it and one that complies, over files as
 * `netpol lint` reads them: the rule id, the object, the field path, the line and the message.
 */
import { brief, findingsOf, fixture } from './helpers';

const CIDRS = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] };

describe('NP001 egress-without-dns', () => {
  test('non-compliant: a default-deny egress without any DNS allowance is reported on the isolating policy', () => {
    const found = findingsOf('NP001', 'np001/noncompliant.yaml');
    expect(found.map(brief)).toEqual([
      {
        object: 'shop/default-deny',
        path: 'spec.policyTypes',
        line: 25,
        // the manifests are not said to be the whole cluster: other pods of shop may be there too
        message:
          'this policy isolates the egress of shop/web and the other pods of shop, and no policy allows them DNS (UDP 53, TCP 53), so name lookups fail',
      },
    ]);
    expect(found[0]).toMatchObject({
      ruleId: 'NP001',
      ruleName: 'egress-without-dns',
      severity: 'error',
      location: { file: fixture('np001/noncompliant.yaml'), doc: 1 },
    });
  });

  test('compliant: DNS allowed on UDP and TCP 53 to kube-dns', () => {
    expect(findingsOf('NP001', 'np001/compliant.yaml')).toEqual([]);
  });
});

describe('NP002 one-sided-allowance', () => {
  test('non-compliant: egress to a pod in another namespace whose ingress does not admit the source', () => {
    expect(findingsOf('NP002', 'np002/egress-without-ingress.yaml').map(brief)).toEqual([
      {
        object: 'shop/web',
        path: 'spec.egress[0].to[0]',
        line: 39,
        message:
          "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: shop/web -> data/db on TCP 5432 (data/db is isolated for ingress by data/db)",
      },
    ]);
  });

  test('non-compliant: ingress admitting a pod whose egress does not allow the destination', () => {
    expect(findingsOf('NP002', 'np002/ingress-without-egress.yaml').map(brief)).toEqual([
      {
        object: 'shop/web',
        path: 'spec.ingress[0].from[0]',
        line: 41,
        message:
          "this ingress rule admits connections that the source's egress does not allow, so they are never made: edge/gateway -> shop/web on TCP 8080 (edge/gateway is isolated for egress by edge/default-deny-egress)",
      },
    ]);
  });

  test('compliant: both ends allow the connection', () => {
    expect(findingsOf('NP002', 'np002/compliant.yaml')).toEqual([]);
  });
});

describe('NP003 no-default-deny-ingress and NP004 no-default-deny-egress', () => {
  test('non-compliant: a namespace with workloads and no default deny, listing the pods no policy isolates', () => {
    expect(findingsOf('NP003', 'np003/noncompliant.yaml').map(brief)).toEqual([
      {
        object: 'shop',
        path: '',
        line: 2,
        message:
          'namespace shop has no default-deny policy for ingress (an empty podSelector with Ingress in policyTypes), so a pod that no policy selects accepts connections from anywhere; such pods now: shop/worker',
      },
    ]);
    expect(findingsOf('NP004', 'np003/noncompliant.yaml').map(brief)).toEqual([
      {
        object: 'shop',
        path: '',
        line: 2,
        message:
          'namespace shop has no default-deny policy for egress (an empty podSelector with Egress in policyTypes), so a pod that no policy selects may connect anywhere; such pods now: shop/web and shop/worker',
      },
    ]);
  });

  test('non-compliant findings are about the Namespace object, and kube-system is left alone', () => {
    const found = findingsOf('NP003', 'np003/noncompliant.yaml');
    expect(found.map((f) => f.object)).toEqual([{ kind: 'Namespace', name: 'shop' }]);
  });

  test('compliant: a policy with an empty podSelector isolating both directions', () => {
    expect(findingsOf('NP003', 'np003/compliant.yaml')).toEqual([]);
    expect(findingsOf('NP004', 'np003/compliant.yaml')).toEqual([]);
  });
});

describe('NP005 ipblock-in-cluster', () => {
  test('non-compliant: blocks overlapping the pod and service ranges; 0.0.0.0/0 is not reported', () => {
    const found = findingsOf('NP005', 'np005/noncompliant.yaml', CIDRS);
    expect(found.map(brief)).toEqual([
      {
        object: 'shop/web',
        path: 'spec.ingress[0].from[0].ipBlock.cidr',
        line: 13,
        message:
          'ipBlock 10.0.0.0/8 overlaps the pod CIDR 10.244.0.0/16 and the service CIDR 10.96.0.0/12; ipBlock is for addresses outside the cluster, and pod and service addresses are not matched reliably',
      },
      {
        object: 'shop/web',
        path: 'spec.egress[0].to[0].ipBlock.cidr',
        line: 19,
        message:
          'ipBlock 10.96.0.0/12 overlaps the service CIDR 10.96.0.0/12; ipBlock is for addresses outside the cluster, and pod and service addresses are not matched reliably',
      },
    ]);
    expect(found.map((f) => f.fix)).toEqual([
      "select those pods with podSelector/namespaceSelector, or add 10.244.0.0/16 and 10.96.0.0/12 to the ipBlock's except list",
      'select those pods with podSelector/namespaceSelector instead of their addresses',
    ]);
  });

  test('compliant: the cluster ranges are excepted or not touched', () => {
    expect(findingsOf('NP005', 'np005/compliant.yaml', CIDRS)).toEqual([]);
  });

  test('compliant: nothing is checked when no cluster range is given', () => {
    expect(findingsOf('NP005', 'np005/noncompliant.yaml')).toEqual([]);
  });
});

describe('NP006 selects-nothing', () => {
  test('non-compliant: a mistyped podSelector, namespaceSelector and peer podSelector, with the labels that exist', () => {
    const whole = { cluster: [fixture('np006/noncompliant.yaml')] };
    expect(findingsOf('NP006', 'np006/noncompliant.yaml', whole).map(brief)).toEqual([
      {
        object: 'shop/web',
        path: 'spec.podSelector',
        line: 36,
        message:
          'podSelector app=wbe selects no pod of namespace shop in the given manifests (the pods there have app=web), so this policy applies to nothing',
      },
      {
        object: 'shop/web',
        path: 'spec.ingress[0].from[0].namespaceSelector',
        line: 41,
        message: 'namespaceSelector team=egde selects no namespace of the given manifests (shop and edge), so this peer matches nothing',
      },
      {
        object: 'shop/web',
        path: 'spec.ingress[0].from[1].podSelector',
        line: 45,
        message:
          'podSelector app=gw selects no pod of namespace edge in the given manifests (the pods there have app=gateway), so this peer matches nothing',
      },
    ]);
  });

  test('compliant: every selector matches a pod', () => {
    expect(findingsOf('NP006', 'np006/compliant.yaml', { cluster: [fixture('np006/compliant.yaml')] })).toEqual([]);
  });

  test('compliant: without cluster manifests nothing is reported', () => {
    expect(findingsOf('NP006', 'np006/noncompliant.yaml', { cluster: [fixture('np005/compliant.yaml')] })).toEqual([]);
  });

  test('compliant: workloads beside the policies are not the whole cluster, so a selector may select pods not in the files', () => {
    expect(findingsOf('NP006', 'np006/noncompliant.yaml')).toEqual([]);
  });
});

describe('NP007 unknown-named-port', () => {
  test('non-compliant: a mistyped named port, and a named port toward an ipBlock', () => {
    expect(findingsOf('NP007', 'np007/noncompliant.yaml', { cluster: [fixture('np007/noncompliant.yaml')] }).map(brief)).toEqual([
      {
        object: 'shop/web',
        path: 'spec.ingress[0].ports[0].port',
        line: 27,
        message:
          'named port TCP htp is defined by no container of the pods this policy selects in the given manifests (their named ports: http (TCP 8080), metrics (TCP 9090)), so this entry matches nothing',
      },
      {
        object: 'shop/web',
        path: 'spec.egress[0].ports[0].port',
        line: 32,
        message:
          'named port TCP https toward ipBlock peers only never matches: names are resolved on destination pods, not on outside addresses',
      },
    ]);
  });

  test('compliant: the named port is a containerPort of the selected pods', () => {
    expect(findingsOf('NP007', 'np007/compliant.yaml', { cluster: [fixture('np007/compliant.yaml')] })).toEqual([]);
  });

  test('non-compliant without the whole cluster: only the named port toward an ipBlock, which needs no pods', () => {
    expect(findingsOf('NP007', 'np007/noncompliant.yaml').map((f) => f.path)).toEqual(['spec.egress[0].ports[0].port']);
  });
});

describe('NP008 database-port-open', () => {
  test('non-compliant: database ports admitted from 0.0.0.0/0, ::/0 and every source, also inside a range', () => {
    const found = findingsOf('NP008', 'np008/noncompliant.yaml');
    expect(found.map(brief)).toEqual([
      {
        object: 'data/db',
        path: 'spec.ingress[0].ports[0]',
        line: 13,
        message: 'this ingress rule admits 0.0.0.0/0 and ::/0 on TCP 5432, which is the database port 5432 (PostgreSQL)',
      },
      {
        object: 'data/db',
        path: 'spec.ingress[1].ports[0]',
        line: 15,
        message: 'this ingress rule admits every source (no from list) on TCP 6379, which is the database port 6379 (Redis)',
      },
      {
        object: 'data/db',
        path: 'spec.ingress[1].ports[1]',
        line: 16,
        message: 'this ingress rule admits every source (no from list) on TCP 27000-27100, which is the database port 27017 (MongoDB)',
      },
    ]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  test('compliant: the database port is admitted from named clients only', () => {
    expect(findingsOf('NP008', 'np008/compliant.yaml')).toEqual([]);
  });
});

describe('NP009 egress-anywhere', () => {
  test('non-compliant: an empty egress rule and 0.0.0.0/0 without ports', () => {
    expect(findingsOf('NP009', 'np009/noncompliant.yaml').map(brief)).toEqual([
      {
        object: 'jobs/worker',
        path: 'spec.egress[0]',
        line: 9,
        message:
          'this egress rule allows every destination (no to list) on every port, so the egress isolation of pods app=worker has no effect',
      },
      {
        object: 'jobs/worker',
        path: 'spec.egress[1]',
        line: 10,
        message:
          'this egress rule allows every address (0.0.0.0/0) on every port, so the egress isolation of pods app=worker has no effect',
      },
    ]);
  });

  test('compliant: 0.0.0.0/0 on 443 and DNS to anywhere', () => {
    expect(findingsOf('NP009', 'np009/compliant.yaml')).toEqual([]);
  });
});

describe('NP010 split-peer', () => {
  test('non-compliant: a namespace selector and a pod selector split into two peers by accident', () => {
    const found = findingsOf('NP010', 'np010/noncompliant.yaml');
    expect(found.map(brief)).toEqual([
      {
        object: 'shop/api',
        path: 'spec.ingress[0].from[1]',
        line: 14,
        message:
          'from[1] (pods app=client) and from[0] (namespace team-a) are separate peers, so the rule matches all pods of namespace team-a OR pods app=client of namespace shop; for pods app=client in namespace team-a, write one peer with both selectors',
      },
    ]);
    expect(found[0].fix).toBe(
      'merge from[0] and from[1] into one peer that has both namespaceSelector and podSelector (no dash before podSelector), or suppress NP010 with the reason both are meant',
    );
  });

  test('compliant: one peer with both selectors, and another namespace next to every pod of the own namespace', () => {
    expect(findingsOf('NP010', 'np010/compliant.yaml')).toEqual([]);
  });
});

describe('NP011 shadowed-rule', () => {
  test('non-compliant: a rule whose peers and ports a broader rule covers', () => {
    expect(findingsOf('NP011', 'np011/noncompliant.yaml').map(brief)).toEqual([
      {
        object: 'shop/api',
        path: 'spec.ingress[1]',
        line: 14,
        message:
          'ingress rule 1 (pods app=web,tier=front: TCP 8080) is covered by ingress rule 0 (pods tier=front: TCP 8000-8999) and allows nothing more',
      },
    ]);
  });

  test('compliant: rules that overlap in peers but not in ports', () => {
    expect(findingsOf('NP011', 'np011/compliant.yaml')).toEqual([]);
  });
});

describe('NP012 suppression-without-reason', () => {
  test('non-compliant: an entry without a reason is reported on the annotation', () => {
    expect(findingsOf('NP012', 'suppression/suppressed.yaml').map(brief)).toEqual([
      {
        object: 'public/cache',
        path: 'metadata.annotations.netpol.dev/lint-suppress',
        line: 23,
        message: 'the suppression of NP009 gives no reason, so it suppresses nothing',
      },
    ]);
  });

  test('compliant: every entry has a reason', () => {
    expect(findingsOf('NP012', 'suppression/with-reasons.yaml')).toEqual([]);
  });
});

describe('NP013 selects-every-pod', () => {
  test('non-compliant: allow rules with an empty podSelector, reported on the selector', () => {
    const found = findingsOf('NP013', 'np013/noncompliant.yaml');
    expect(found.map(brief)).toEqual([
      {
        object: 'shop/api',
        path: 'spec.podSelector',
        line: 7,
        message:
          "the podSelector is empty, so the policy's rules (1 ingress, 1 egress) apply to every pod of namespace shop and isolate each of them for ingress and egress; a selector was probably forgotten",
      },
    ]);
    expect(found[0]).toMatchObject({ ruleId: 'NP013', ruleName: 'selects-every-pod', severity: 'warning' });
  });

  test('compliant: default deny, DNS for every pod, selectors, and a namespace-wide policy that says why', () => {
    const found = findingsOf('NP013', 'np013/compliant.yaml');
    expect(found.map((f) => [f.object.name, f.suppression?.reason])).toEqual([
      ['metrics', 'every pod of shop serves metrics to the monitoring namespace'],
    ]);
  });
});
