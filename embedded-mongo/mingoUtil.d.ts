/**
 * The project type-checks with `moduleResolution: node10`, which ignores package.json `exports`, so
 * TypeScript cannot see the `mingo/util` subpath Node resolves at runtime. Point it at the typings.
 */
declare module 'mingo/util' {
  export * from 'mingo/types/util/index';
}
