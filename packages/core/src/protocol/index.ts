export * from './graph.js';
export * from './messages.js';
export * from './rest.js';
