export * from './address-range';
export * from './endpoint';
export * from './analysis';
export * from './matrix';
export * from './explanation';
export * from './probe';
export * from './picture';
