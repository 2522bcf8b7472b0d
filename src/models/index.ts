export * from './encoder';
export * from './projector';
export * from './beatRoiPool';
export * from './beatSslModel';
export * from './ts2vecEncoder';
