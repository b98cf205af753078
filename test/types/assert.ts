// Compile-time assertions for the type tests: `expectType<Equal<A, B>>(true)` fails to compile unless
// A and B are the same type (mutual assignability is too loose: it equates `any` with everything).

/** `true` when A and B are identical types. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Accepts only `true`: use with {@link Equal}. */
export function expectType<T extends true>(_proof: T): void {}
