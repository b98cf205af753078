import type { ActorContext, ActorSelf } from '../protocol/actor-context.js';

/**
 * Builds an actor's context from the identity its host sent with `init` and the abilities its thread's
 * messaging gives it (`ref`, `monitor`, `demonitor`). Frozen all the way down: the identity is the host's
 * word, and a handler that could rewrite it would lie to every later reader.
 */
export function createActorContext(self: ActorSelf): Pick<ActorContext, 'self'>;
export function createActorContext(self: ActorSelf, abilities: Pick<ActorContext, 'ref' | 'monitor' | 'demonitor'>): ActorContext;
export function createActorContext(self: ActorSelf, abilities?: Pick<ActorContext, 'ref' | 'monitor' | 'demonitor'>): Pick<ActorContext, 'self'> {
  return Object.freeze({ self: Object.freeze({ path: self.path, incarnation: self.incarnation }), ...abilities });
}
