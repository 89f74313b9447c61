/**
 * Property tests start from one seed, so that `npm test` tries the same inputs on every machine
 * and every run: a red run can be repeated, and a green one is not luck. `FC_SEED=<number>`
 * starts from another seed, `FC_SEED=random` from a new one each run (to look further, e.g.
 * `FC_SEED=random npx jest test/io`). A failure prints the seed and path that repeat it.
 */
import * as fc from 'fast-check';

const DEFAULT_SEED = 20261206;

const given = process.env.FC_SEED;
if (given !== 'random') {
  if (given !== undefined && given !== '' && !/^-?[0-9]+$/.test(given)) {
    throw new Error(`FC_SEED=${given}: give an integer seed, or "random"`);
  }
  const seed = given === undefined || given === '' ? DEFAULT_SEED : Number(given);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
