export * from './policy-construct';
export * from './default-deny';
export * from './allow-dns';
export * from './tier';
export * from './external-database';
export * from './environments';
export * from './inspect';
