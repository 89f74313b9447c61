import { z } from 'zod';
import { Environment } from '../../lib/env';
import { fixture, problems } from './helpers';

const Extras = z.object({
  team: z.string(),
  replicas: z.number().int().min(1),
  alertEmail: z.email(),
});

describe('extras', () => {
  test('are checked and typed with the schema given at load time', () => {
    const env = Environment.load(fixture('extras.yaml'), { extras: Extras });
    const extras: { team: string; replicas: number; alertEmail: string } = env.extras;
    expect(extras).toEqual({ team: 'payments', replicas: 3, alertEmail: 'oncall@example.com' });
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
  });

  test('take the output of the schema, transforms included', () => {
    const env = Environment.load(fixture('extras.yaml'), { extras: Extras.transform((x) => `${x.team}:${x.replicas}`) });
    expect(env.extras).toBe('payments:3');
  });

  test('an optional schema accepts a file without extras', () => {
    const env = Environment.load(fixture('minimal.yaml'), { extras: Extras.optional() });
    expect(env.extras).toBeUndefined();
  });

  test('throws with our wording for every problem the schema finds, under extras', () => {
    const f = fixture('extras-bad.yaml');
    expect(problems(() => Environment.load(f, { extras: Extras.strict() }))).toEqual([
      `${f}: extras.team: expected a string, got the number 42`,
      `${f}: extras.replicas: the number -1 is too small; expected at least 1`,
      `${f}: extras.alertEmail: expected an email address, got the string "not-an-email"`,
      `${f}: extras.colour: unknown key "colour" in extras; expected one of team, replicas, alertEmail.`,
    ]);
  });

  test('throws with the messages the schema author wrote', () => {
    const schema = z.object({ team: z.string().min(3, 'team must be the three-letter team code or longer') });
    expect(problems(() => Environment.fromObject({ name: 'dev', extras: { team: 'ab' } }, 'inline.yaml', { extras: schema }))).toEqual([
      'inline.yaml: extras.team: team must be the three-letter team code or longer',
    ]);
  });

  test('throws when the schema requires extras and the file has none', () => {
    expect(problems(() => Environment.load(fixture('minimal.yaml'), { extras: Extras }))).toEqual([
      `${fixture('minimal.yaml')}: extras: required key "extras" is missing; expected a mapping`,
    ]);
  });

  test('throws for extras and for other problems together', () => {
    expect(
      problems(() =>
        Environment.fromObject({ name: 'Dev', extras: { team: 1, replicas: 1, alertEmail: 'a@b.io' } }, 'inline.yaml', { extras: Extras }),
      ),
    ).toEqual([
      `inline.yaml: name: name "Dev" is not a safe folder name (it becomes dist/<name>/): it must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc'); write "dev"`,
      'inline.yaml: extras.team: expected a string, got the number 1',
    ]);
  });

  test('throws for extras in a file when no schema was given', () => {
    expect(problems(() => Environment.load(fixture('extras.yaml')))).toEqual([
      `${fixture('extras.yaml')}: extras: extras is set but nothing checks it; pass a zod schema as { extras: z.object({...}) } when loading the environment, or remove the key`,
    ]);
  });

  test('take any schema with safeParse, keeping its own messages and paths', () => {
    const teamCode: import('../../lib/env').IExtrasSchema = {
      safeParse: (value: unknown) =>
        typeof (value as { team?: unknown })?.team === 'string'
          ? { success: true, data: (value as { team: string }).team.toUpperCase() }
          : { success: false, error: { issues: [{ path: ['team'], message: 'the team code is required' }] } },
    };
    expect(Environment.fromObject({ name: 'dev', extras: { team: 'pay' } }, 'inline.yaml', { extras: teamCode }).extras).toBe('PAY');
    expect(problems(() => Environment.fromObject({ name: 'dev', extras: {} }, 'inline.yaml', { extras: teamCode }))).toEqual([
      'inline.yaml: extras.team: the team code is required',
    ]);
  });
});
