// Type tests of the error classes: the custom `Symbol.hasInstance` (which makes `instanceof` work across
// the ESM and CommonJS copies) must keep TypeScript's `instanceof` narrowing, and each class names its code.
import { ActorCrashedError, CallTimeoutError, ThreadvisorError } from '../../src/index.js';
import type { ExitReason, ThreadvisorErrorCode } from '../../src/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';

declare const caught: unknown;

export function instanceofNarrows(): void {
  if (caught instanceof CallTimeoutError) {
    expectType<Equal<typeof caught, CallTimeoutError>>(true);
    const method: string = caught.method;
    void method;
  }
  if (caught instanceof ThreadvisorError) expectType<Equal<typeof caught.code, ThreadvisorErrorCode>>(true);
  if (caught instanceof ActorCrashedError) expectType<Equal<typeof caught.reason, ExitReason>>(true);
  // A user's subclass narrows to itself.
  class AppTimeout extends CallTimeoutError {
    readonly retry = true;
  }
  if (caught instanceof AppTimeout) expectType<Equal<typeof caught, AppTimeout>>(true);
}

export function elseBranchKeepsTheRest(e: CallTimeoutError | string): void {
  if (e instanceof CallTimeoutError) return;
  expectType<Equal<typeof e, string>>(true);
}

export function staticCodes(): void {
  expectType<Equal<typeof CallTimeoutError.code, 'ERR_CALL_TIMEOUT'>>(true);
  expectType<Equal<typeof ActorCrashedError.code, 'ERR_ACTOR_CRASHED'>>(true);
  // @ts-expect-error the base stands for every code, so it has no static `code`
  void ThreadvisorError.code;
}
