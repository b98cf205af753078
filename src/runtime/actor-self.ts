/**
 * The identity a host gives the actor it starts (`ctx.self` in the thread): the start options' `self`,
 * checked, or for a worker started outside any tree its name or a generated id.
 */
import { InvalidSpecError } from '../errors.js';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { ThreadSettings } from './settings.js';

/** Standalone workers started without a name so far in this process: numbers their generated ids. */
let unnamed = 0;

/**
 * The identity of a worker no supervisor placed: its `name`, else its module's file name numbered in
 * start order (`counter.worker.js#3`), so two unnamed workers of one module are told apart. Its first
 * and only incarnation: a standalone worker is never restarted.
 */
export function standaloneSelf(settings: Pick<ThreadSettings, 'name' | 'url'>): ActorSelf {
  if (settings.name !== undefined) return { path: settings.name, incarnation: 1 };
  unnamed += 1;
  const file = settings.url.pathname.slice(settings.url.pathname.lastIndexOf('/') + 1);
  return { path: `${file}#${unnamed}`, incarnation: 1 };
}

/**
 * The identity to start an actor with: `self` from the start options (checked: it crosses into the
 * thread and is frozen there as the actor's word on who it is), or {@link standaloneSelf} without one.
 * Throws `InvalidSpecError` for a malformed one.
 */
export function resolveSelf(self: unknown, settings: Pick<ThreadSettings, 'name' | 'url'>): ActorSelf {
  if (self === undefined) return standaloneSelf(settings);
  if (typeof self !== 'object' || self === null) {
    throw new InvalidSpecError('worker options', [{ path: 'self', message: `expected { path: string, incarnation: number }, got ${String(self)}` }]);
  }
  const { path, incarnation } = self as { path?: unknown; incarnation?: unknown };
  const issues = [];
  if (typeof path !== 'string' || path === '') {
    issues.push({ path: 'self.path', message: `expected a non-empty string, got ${typeof path === 'string' ? '""' : String(path)}` });
  }
  if (!(typeof incarnation === 'number' && Number.isSafeInteger(incarnation) && incarnation >= 1)) {
    issues.push({ path: 'self.incarnation', message: `expected a whole number >= 1, got ${String(incarnation)}` });
  }
  if (issues.length > 0) throw new InvalidSpecError('worker options', issues);
  return { path: path as string, incarnation: incarnation as number };
}
