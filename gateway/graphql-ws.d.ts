/**
 * graphql-ws declares its entry points in package.json "exports", which this project's
 * moduleResolution ("node") does not read: the types of 'graphql-ws/use/ws' from their file.
 */
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
