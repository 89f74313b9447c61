export * from './model';
export * from './env';
export * from './render';
export * from './constructs';
