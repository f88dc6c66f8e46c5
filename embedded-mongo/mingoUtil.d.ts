/**
 * The project type-checks with `moduleResolution: node10`, which ignores package.json `exports`, so
 * TypeScript cannot see the `mingo/...` subpaths Node resolves at runtime. Point them at the typings.
 */
declare module 'mingo/util' {
  export * from 'mingo/types/util/index';
}
declare module 'mingo/core' {
  export * from 'mingo/types/core/index';
}
declare module 'mingo/types' {
  export * from 'mingo/types/types';
}
declare module 'mingo/aggregator' {
  export * from 'mingo/types/aggregator';
}
declare module 'mingo/operators/accumulator' {
  export * from 'mingo/types/operators/accumulator/index';
}
declare module 'mingo/operators/expression' {
  export * from 'mingo/types/operators/expression/index';
}
declare module 'mingo/operators/pipeline' {
  export * from 'mingo/types/operators/pipeline/index';
}
