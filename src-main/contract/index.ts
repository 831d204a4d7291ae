export * from './domain';
export * from './errors';
export * from './events';
export * from './methods';
export * from './speech';
export * from './drafting';
export * from './sync';
