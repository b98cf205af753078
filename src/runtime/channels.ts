/**
 * The host's half of messaging between actors: direct channels and monitors.
 *
 * On an actor's first call to a target, its thread asks for a channel (`OP_CONNECT`). The host resolves
 * the target through the tree's directory (waiting, within the call's timeout, for a restarting child),
 * makes a `MessageChannel` and hands one port to each thread; from then on the two threads talk without
 * the main thread. The host keeps one entry per channel and watches both ends: when either incarnation
 * ends, the entry goes and the other end is told (`OP_PEER_DOWN`, with the exit reason), so a call in
 * flight to a dead incarnation fails at once with its reason, and the next call connects again.
 *
 * Monitors (`OP_MONITOR`) are watched the same way: the directory calls back once per watched death, and
 * a watcher that ends takes its monitors with it.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ExitReason } from '../protocol/exit-reason.js';
import { formatExitReason } from '../protocol/exit-reason.js';
import type { PeerInfo, PeerThreadMessage } from '../protocol/messages.js';
import {
  OP_CONNECT, OP_CONNECT_FAILED, OP_CONNECT_WAITING, OP_CONNECTED, OP_DEMONITOR, OP_DOWN, OP_LOG, OP_MONITOR, OP_PEER_ACCEPT, OP_PEER_DOWN,
} from '../protocol/messages.js';
import type { PeerDirectory } from '../seams/peers.js';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { HostMessage } from '../protocol/messages.js';
import type { Transferable } from 'node:worker_threads';
import { ThreadActor } from './thread-actor.js';

/**
 * One actor incarnation as messaging sees it: a running actor's `ThreadActor`, or, while its `init` runs
 * (it may call and monitor others from there), an {@link InitEndpoint} standing in for it.
 */
export interface PeerEndpoint {
  readonly actorId: number;
  readonly self: ActorSelf | undefined;
  readonly alive: boolean;
  /** `true` once a stop was asked for (its callers get `ActorStoppedError`, however it ends). */
  readonly stopRequested: boolean;
  /** Settles as soon as the incarnation is known to have ended. */
  readonly ending: Promise<ExitReason>;
  postPeer(message: HostMessage, transfer?: readonly Transferable[]): void;
}

/**
 * An actor whose `init` has not returned yet, as a caller: init may call other actors (the bank that
 * replays its journal), so its requests cannot wait for it to be ready. It ends with the actor (`endWith`,
 * once ready) or with its thread (`end`: init failed, was ignored, or the thread died).
 */
export class InitEndpoint implements PeerEndpoint {
  readonly actorId: number;
  readonly self: ActorSelf | undefined;
  readonly stopRequested = false;
  readonly ending: Promise<ExitReason>;
  readonly #post: (message: HostMessage, transfer?: readonly Transferable[]) => void;
  #end!: (reason: ExitReason) => void;
  #ended = false;

  constructor(actorId: number, self: ActorSelf | undefined, post: (message: HostMessage, transfer?: readonly Transferable[]) => void) {
    this.actorId = actorId;
    this.self = self;
    this.#post = post;
    this.ending = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  get alive(): boolean {
    return !this.#ended;
  }

  postPeer(message: HostMessage, transfer?: readonly Transferable[]): void {
    this.#post(message, transfer);
  }

  /** The actor (or its thread) ended. */
  end(reason: ExitReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#end(reason);
  }

  /** The actor is ready: this stand-in ends when it does. */
  endWith(actor: ThreadActor): void {
    void actor.ending.then((reason) => this.end(reason));
  }
}

/** One open channel between two incarnations (the same one twice when an actor casts to itself). */
interface Channel {
  readonly id: number;
  readonly caller: PeerEndpoint;
  readonly callee: PeerEndpoint;
}

/** What the host tracks of one actor that takes part in messaging. */
interface Party {
  readonly channels: Set<Channel>;
  /** Its monitors, by the id its thread gave them: each entry stops watching. */
  readonly monitors: Map<number, () => void>;
}

/** Every open channel, by id: what a leak test counts. */
const channels = new Map<number, Channel>();
const parties = new WeakMap<PeerEndpoint, Party>();
let nextChannel = 0;

/** How many direct channels are open in this process (both ends alive, not yet torn down). */
export function openChannelCount(): number {
  return channels.size;
}

/** The settings a thread's messaging needs. */
interface MessagingSettings {
  peers: PeerDirectory | undefined;
  logger: Logger;
}

/**
 * Handles an actor's messaging request. Each request is a boundary: a bug in resolving it is logged with
 * its stack and fails that request (the caller gets `ChildUnavailableError`, the watcher `noproc`), never
 * the thread's protocol port, whose handler this runs in.
 */
export function onPeerMessage(actor: PeerEndpoint, message: PeerThreadMessage, settings: MessagingSettings): void {
  const failed = (error: unknown, what: string) => {
    settings.logger.error({ context: 'messaging_error', actorId: actor.actorId, err: error }, `${what} failed on an internal error`);
  };
  switch (message[0]) {
    case OP_CONNECT: {
      const [, , request, target, timeoutMs] = message;
      connect(actor, request, target, timeoutMs, settings).catch((error: unknown) => {
        failed(error, `a channel to '${target}'`);
        if (actor.alive) actor.postPeer([OP_CONNECT_FAILED, actor.actorId, request, `an internal error while resolving it (${String((error as Error)?.message ?? error)})`, undefined]);
      });
      return;
    }
    case OP_MONITOR:
      try {
        monitor(actor, message[2], message[3], settings);
      } catch (error) {
        failed(error, `a monitor of '${message[3]}'`);
        parties.get(actor)?.monitors.delete(message[2]);
        if (actor.alive) actor.postPeer([OP_DOWN, actor.actorId, message[2], message[3], undefined, { kind: 'noproc' }]);
      }
      return;
    case OP_DEMONITOR: {
      const party = parties.get(actor);
      const stop = party?.monitors.get(message[2]);
      party?.monitors.delete(message[2]);
      stop?.();
      return;
    }
    default:
      return;
  }
}

/** Logs what a thread's runtime had to drop (a late reply, a cast to nowhere, a notice without `info`). */
export function logFromThread(logger: Logger, threadId: number, message: Extract<PeerThreadMessage, readonly [typeof OP_LOG, ...unknown[]]>): void {
  const [, actorId, level, context, text] = message;
  logger[level === 'error' ? 'error' : 'warn']({ context, threadId, actorId }, text);
}

async function connect(caller: PeerEndpoint, request: number, target: string, timeoutMs: number | undefined, settings: MessagingSettings): Promise<void> {
  const fail = (detail: string, waited?: number) => {
    if (caller.alive) caller.postPeer([OP_CONNECT_FAILED, caller.actorId, request, detail, waited]);
  };
  const { peers } = settings;
  // The thread refuses ctx.ref outside a tree before asking; this guards a thread that disagrees.
  if (peers === undefined) return fail('this worker runs outside any supervision tree');
  // The caller's calls that set no timeout take the target's own: the thread learns it here.
  const waiting = (callTimeoutMs: number) => {
    if (caller.alive) caller.postPeer([OP_CONNECT_WAITING, caller.actorId, request, callTimeoutMs]);
  };
  let found = await peers.resolve(target, timeoutMs, waiting);
  // Found running, then ended before this turn (its exit was read meanwhile): once more, for the next one.
  if (found.ok && !found.actor.alive) found = await peers.resolve(target, timeoutMs, waiting);
  if (!caller.alive) return;
  if (!found.ok) return fail(found.detail, found.timeoutMs);
  const callee = found.actor;
  if (!(callee instanceof ThreadActor) || callee.self === undefined) {
    return fail(`'${found.path}' does not run in a worker thread of this process, so no channel can reach it`);
  }
  if (!callee.alive) return fail(`'${found.path}' ended as the channel was being set up`);
  const { port1, port2 } = new MessageChannel();
  const channel: Channel = { id: ++nextChannel, caller, callee };
  const { calls, casts } = callee.methods;
  const info: PeerInfo = { path: found.path, incarnation: found.incarnation, calls: [...calls], casts: [...casts], callTimeoutMs: callee.callTimeoutMs };
  let calleeHasPort = false;
  try {
    callee.postPeer([OP_PEER_ACCEPT, callee.actorId, channel.id, port2, caller.self ?? { path: '?', incarnation: 0 }], [port2]);
    calleeHasPort = true;
    caller.postPeer([OP_CONNECTED, caller.actorId, request, channel.id, port1, info], [port1]);
  } catch (error) {
    // Only a thread already torn down refuses a post; its end comes through `ending`. The channel is not
    // recorded, so no end would tell the callee: a callee that already serves it closes its end now.
    port1.close();
    port2.close();
    if (calleeHasPort && callee.alive) callee.postPeer([OP_PEER_DOWN, callee.actorId, channel.id, { kind: 'shutdown', detail: 'its caller ended as the channel was handed over' }, false]);
    settings.logger.warn({ context: 'channel_failed', target, err: error }, 'a direct channel could not be handed over');
    return fail(`the channel to '${found.path}' could not be handed over (${(error as Error).message})`);
  }
  channels.set(channel.id, channel);
  partyOf(caller, settings).channels.add(channel);
  partyOf(callee, settings).channels.add(channel);
}

function monitor(watcher: PeerEndpoint, id: number, target: string, settings: MessagingSettings): void {
  const { peers } = settings;
  const party = partyOf(watcher, settings);
  const fire = (path: string, incarnation: number | undefined, reason: Parameters<typeof sanitize>[0] | { kind: 'noproc' }) => {
    party.monitors.delete(id);
    if (!watcher.alive) return;
    const sent = reason.kind === 'noproc' ? reason : sanitize(reason, settings);
    watcher.postPeer([OP_DOWN, watcher.actorId, id, path, incarnation, sent]);
  };
  if (peers === undefined) {
    queueMicrotask(() => fire(target, undefined, { kind: 'noproc' }));
    return;
  }
  party.monitors.set(id, () => undefined);
  const stop = peers.monitor(target, (down) => fire(down.path, down.incarnation, down.reason));
  // It may already have fired (never synchronously, but keep the table honest either way).
  if (party.monitors.has(id)) party.monitors.set(id, stop);
}

/** The party record of an actor, made (and its end watched) on first use. */
function partyOf(actor: PeerEndpoint, settings: MessagingSettings): Party {
  let party = parties.get(actor);
  if (party === undefined) {
    const made: Party = { channels: new Set(), monitors: new Map() };
    parties.set(actor, made);
    party = made;
    void actor.ending.then((reason) => ended(actor, made, reason, settings));
  }
  return party;
}

/** An incarnation ended: tear down its channels (telling each other end) and drop its monitors. */
function ended(actor: PeerEndpoint, party: Party, reason: ExitReason, settings: MessagingSettings): void {
  const sent = sanitize(reason, settings);
  for (const channel of party.channels) {
    channels.delete(channel.id);
    const other = channel.caller === actor ? channel.callee : channel.caller;
    if (other === actor) continue;
    parties.get(other)?.channels.delete(channel);
    // The caller learns how its callee ended; a callee whose caller ended only closes its port.
    if (other.alive) other.postPeer([OP_PEER_DOWN, other.actorId, channel.id, sent, actor.stopRequested]);
  }
  party.channels.clear();
  for (const stop of party.monitors.values()) stop();
  party.monitors.clear();
  parties.delete(actor);
}

/** A reason that crosses to a thread: a stop detail is user data and may not be cloneable. */
function sanitize(reason: ExitReason, settings: MessagingSettings): ExitReason {
  if (reason.kind !== 'shutdown' || reason.detail === undefined) return reason;
  try {
    structuredClone(reason.detail);
    return reason;
  } catch (error) {
    // The threads get a description in its place; the detail itself is only here, so say what was replaced.
    const described = `${formatExitReason(reason)} (not cloneable)`;
    settings.logger.warn({ context: 'exit_detail_replaced', err: error }, `a stop detail could not be sent to the threads that watch or call the actor, sent as: ${described}`);
    return { kind: 'shutdown', detail: described };
  }
}
