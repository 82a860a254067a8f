export * from './diagnostic.js';
export * from './scan.js';
