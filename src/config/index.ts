export * from './app-config';
export * from './environment';
export * from './load-config';
