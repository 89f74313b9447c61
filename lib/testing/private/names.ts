/** The reserved endpoint names of flow assertions. */

/** Every pod group. */
export const ALL_NAME = '*';

/** Everything outside the namespaces under test: their pod groups and every address. */
export const OUTSIDE_NAME = 'outside';
