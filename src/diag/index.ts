export * from './diagnostic.js';
export * from './scan.js';
export * from './expect.js';
