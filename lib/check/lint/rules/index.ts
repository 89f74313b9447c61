/** Every lint rule, in id order. */
import { LintRule } from '../rule';
import { NP001 } from './np001-egress-without-dns';
import { NP002 } from './np002-one-sided-allowance';
import { NP003 } from './np003-no-default-deny-ingress';
import { NP004 } from './np004-no-default-deny-egress';
import { NP005 } from './np005-ipblock-in-cluster';
import { NP006 } from './np006-selects-nothing';
import { NP007 } from './np007-unknown-named-port';
import { NP008 } from './np008-database-port-open';
import { NP009 } from './np009-egress-anywhere';
import { NP010 } from './np010-split-peer';
import { NP011 } from './np011-shadowed-rule';
// eslint-disable-next-line import-x/no-cycle -- NP012 reads the registry at check time
import { NP012 } from './np012-suppression-without-reason';
import { NP013 } from './np013-selects-every-pod';
import { NP014 } from './np014-denied-by-admin';
import { NP015 } from './np015-pass-without-networkpolicy';
import { NP016 } from './np016-same-priority-overlap';
import { NP017 } from './np017-baseline-closes-dns';
import { NP018 } from './np018-namespace-on-cluster-policy';

export { NP001, NP002, NP003, NP004, NP005, NP006, NP007, NP008, NP009, NP010, NP011, NP012, NP013, NP014, NP015, NP016, NP017, NP018 };

/** The rules `lint` runs, in id order. Ids are stable: a retired id is never reused. */
export const RULES: readonly LintRule[] = [
  NP001,
  NP002,
  NP003,
  NP004,
  NP005,
  NP006,
  NP007,
  NP008,
  NP009,
  NP010,
  NP011,
  NP012,
  NP013,
  NP014,
  NP015,
  NP016,
  NP017,
  NP018,
];
