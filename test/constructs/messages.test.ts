import { App, Chart, Testing } from 'cdk8s';
import { Tier } from '../../lib';

function validationErrors(app: App): string[] {
  try {
    Testing.synth(app.node.children[0] as Chart);
  } catch (e) {
    return String((e as Error).message)
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
  return [];
}

describe('one problem, one message', () => {
  test('a tier with an invalid label key is reported for its key only, not as selecting the pods of an empty-selector tier', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new Tier(c, 'all', { pods: {} });
    new Tier(c, 'bad', { pods: { 'bad key!': 'y' } });
    expect(validationErrors(app)).toEqual([
      `[c/bad] pods.matchLabels: label key "bad key!" is invalid: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')`,
    ]);
  });

  test('two tiers with the same valid selector are still reported', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new Tier(c, 'a', { pods: { app: 'web' } });
    new Tier(c, 'b', { pods: { app: 'web' } });
    expect(validationErrors(app)).toEqual([
      '[c/b] selects the same pods as c/a (app=web in namespace shop); use one Tier for them and make all its statements on it',
    ]);
  });
});
