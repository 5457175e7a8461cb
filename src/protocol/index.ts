export * from './close-codes';
export * from './error-codes';
export * from './envelope';
export * from './messages';
export * from './encode';
export * from './frame-schemas';
