/** Production calendar: schema, reference pattern and the functions that read it. */
export * from './schema';
export * from './reference';
export * from './calendar';
