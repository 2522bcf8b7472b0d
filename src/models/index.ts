export * from './encoder';
export * from './projector';
export * from './beatRoiPool';
export * from './beatSslModel';
