export * from './np-guard';
export * from './table';
export * from './json';
export * from './reach';
