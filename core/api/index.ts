export * from './channels';
export * from './errors';
export * from './types';
export * from './search';
export * from './ask';
export * from './settings';
export * from './contract';
export * from "./parse";
