/**
 * The identity a host gives an actor started outside any tree (`ctx.self` in the thread): its name or a
 * generated id. A supervisor's `self` comes in the start options, checked by their schema.
 */
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
