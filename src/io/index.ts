// beat-ssl/io: WFDB records (header, signal formats, annotations), reading and writing.
export * from './header';
export * from './record';
export * from './readRecord';
export * from './annotations';
export * from './readAnnotations';
export * from './encodeRecord';
export * from './writeRecord';
export * from './edf';
