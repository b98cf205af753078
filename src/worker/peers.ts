/**
 * Messaging inside a thread: the references, channels and monitors of its actors. The host sets up each
 * direct channel and tells both ends when one of them ends; this side routes what the host says to the
 * right link, served channel or monitor, and feeds the actor's mailbox.
 *
 * One {@link ThreadPeers} per thread routes by the ids the host and the thread hand out; one
 * {@link ActorPeers} per actor holds its links (by target), the channels it serves and its monitors, and
 * builds the `ref`, `monitor` and `demonitor` of its context.
 */
import type { MessagePort } from 'node:worker_threads';
import { InvalidSpecError, NoTreeError } from '../errors.js';
import { render } from '../options/render.js';
import type { ActorContext, ActorSelf, DownNotice, MonitorRef, PeerRef } from '../protocol/actor-context.js';
import type { ChainLink, PeerHostMessage, PeerRequest, PeerResponse, ThreadMessage } from '../protocol/messages.js';
import {
  OP_CALL, OP_CAST, OP_CONNECT, OP_CONNECT_FAILED, OP_CONNECT_WAITING, OP_CONNECTED, OP_DEMONITOR, OP_DOWN, OP_FAIL, OP_LOG, OP_MONITOR,
  OP_PEER_ACCEPT, OP_PEER_DOWN, OP_REPLY,
} from '../protocol/messages.js';
import type { SerializedError } from '../protocol/serialized-error.js';
import type { AnyWorker, CallArgs, CallName, CallResult, CastArgs, CastName } from '../protocol/worker-definition.js';
import type { ActorRuntime, PeerReplier } from './actor-runtime.js';
import { IN_INFO, IN_PEER_CALL, IN_PEER_CAST } from './actor-runtime.js';
import { PeerLink, type LinkOwner } from './peer-link.js';

/** How many links, served channels and monitors a thread holds: what a leak test counts. */
export interface PeerStats {
  /** Links to targets (connecting or open). */
  links: number;
  /** Open channels this thread calls on. */
  channels: number;
  /** Channels this thread serves (peers calling it). */
  served: number;
  /** Channel requests waiting for the host. */
  connecting: number;
  /** Monitors not yet fired or removed. */
  monitors: number;
}

/** The messaging of one thread. */
export class ThreadPeers {
  readonly #post: (message: ThreadMessage) => void;
  readonly #actors = new Map<number, ActorPeers>();
  readonly #connecting = new Map<number, PeerLink>();
  readonly #links = new Map<number, PeerLink>();
  readonly #served = new Map<number, Served>();
  #nextRequest = 0;

  constructor(post: (message: ThreadMessage) => void) {
    this.#post = post;
  }

  /** The messaging of a new actor; `inTree` says whether names can be resolved (a supervised child). */
  actor(actorId: number, self: ActorSelf, inTree: boolean): ActorPeers {
    const peers = new ActorPeers(this, actorId, self, inTree, this.#post);
    this.#actors.set(actorId, peers);
    return peers;
  }

  /** Forgets an actor that ended: closes its ports (the host tells the other ends). */
  ended(actorId: number): void {
    const peers = this.#actors.get(actorId);
    if (peers === undefined) return;
    this.#actors.delete(actorId);
    peers.close();
    for (const [channel, served] of this.#served) {
      if (served.owner === peers) {
        served.close();
        this.#served.delete(channel);
      }
    }
  }

  stats(): PeerStats {
    let links = 0;
    let monitors = 0;
    for (const peers of this.#actors.values()) {
      links += peers.linkCount;
      monitors += peers.monitorCount;
    }
    return { links, channels: this.#links.size, served: this.#served.size, connecting: this.#connecting.size, monitors };
  }

  /** @internal Asks the host for a channel for `link`. */
  connect(actorId: number, link: PeerLink, timeoutMs: number | undefined): void {
    const request = ++this.#nextRequest;
    this.#connecting.set(request, link);
    this.#post([OP_CONNECT, actorId, request, link.target, timeoutMs]);
  }

  /** @internal Forgets the channel of a link that went down. */
  unlink(link: PeerLink): void {
    for (const [channel, l] of this.#links) {
      if (l === link) this.#links.delete(channel);
    }
  }

  /** Handles a messaging message from the host. */
  onMessage(m: PeerHostMessage): void {
    switch (m[0]) {
      case OP_PEER_ACCEPT: {
        const peers = this.#actors.get(m[1]);
        const runtime = peers?.runtime;
        // The actor ended while the host set the channel up; the host tells the caller once it learns.
        if (peers === undefined || runtime === undefined) return void m[3].close();
        const served = new Served(peers, runtime, m[3]);
        this.#served.set(m[2], served);
        return;
      }
      case OP_CONNECTED: {
        const link = this.#connecting.get(m[2]);
        this.#connecting.delete(m[2]);
        if (link === undefined) return void m[4].close();
        this.#links.set(m[3], link);
        link.connected(m[4], m[5]);
        return;
      }
      case OP_CONNECT_FAILED: {
        const link = this.#connecting.get(m[2]);
        this.#connecting.delete(m[2]);
        link?.connectFailed(m[3], m[4]);
        return;
      }
      case OP_CONNECT_WAITING:
        this.#connecting.get(m[2])?.waiting(m[3]);
        return;
      case OP_PEER_DOWN: {
        // A channel of an actor with itself has both ends here: the host tells each end.
        const link = this.#links.get(m[2]);
        if (link !== undefined) {
          this.#links.delete(m[2]);
          link.down(m[3], m[4]);
          return;
        }
        const served = this.#served.get(m[2]);
        if (served !== undefined) {
          this.#served.delete(m[2]);
          served.close();
        }
        return;
      }
      case OP_DOWN:
        this.#actors.get(m[1])?.down(m[2], m[3], m[4], m[5]);
        return;
      default:
        return;
    }
  }
}

/** The callee's end of a direct channel: calls from it enter the actor's mailbox; replies go back on it. */
class Served implements PeerReplier {
  readonly owner: ActorPeers;
  readonly #port: MessagePort;

  constructor(owner: ActorPeers, runtime: ActorRuntime, port: MessagePort) {
    this.owner = owner;
    this.#port = port;
    port.on('message', (m: PeerRequest) => {
      if (m[0] === OP_CALL) runtime.deliver([IN_PEER_CALL, this, m[1], m[2], m[3], m[4]]);
      else if (m[0] === OP_CAST) runtime.deliver([IN_PEER_CAST, m[1], m[2]]);
    });
  }

  reply(id: number, value: unknown): void {
    this.#port.postMessage([OP_REPLY, id, value] satisfies PeerResponse);
  }

  fail(id: number, failure: 'clone' | 'unknown', error: SerializedError): void {
    this.#port.postMessage([OP_FAIL, id, failure, error] satisfies PeerResponse);
  }

  cycle(id: number): void {
    this.#port.postMessage([OP_FAIL, id, 'cycle', { name: 'CallCycleError', message: 'the handler running now waits on this call' }] satisfies PeerResponse);
  }

  close(): void {
    this.#port.removeAllListeners('message');
    this.#port.close();
  }
}

/** The messaging of one actor: its links by target, its monitors, and the abilities of its context. */
export class ActorPeers implements LinkOwner {
  readonly #thread: ThreadPeers;
  readonly #actorId: number;
  readonly #self: ActorSelf;
  readonly #inTree: boolean;
  readonly #post: (message: ThreadMessage) => void;
  readonly #links = new Map<string, PeerLink>();
  /** Monitors that have not fired, by id. */
  readonly #monitors = new Map<number, MonitorRef>();
  /** Monitors whose notice waits in the mailbox: `demonitor` still withdraws it. */
  readonly #firing = new Set<number>();
  /** Notices that arrived before the actor's `init` returned. */
  #early: DownNotice[] = [];
  #nextMonitor = 0;
  #runtime: ActorRuntime | undefined;

  constructor(thread: ThreadPeers, actorId: number, self: ActorSelf, inTree: boolean, post: (message: ThreadMessage) => void) {
    this.#thread = thread;
    this.#actorId = actorId;
    this.#self = self;
    this.#inTree = inTree;
    this.#post = post;
  }

  get path(): string {
    return this.#self.path;
  }

  get runtime(): ActorRuntime | undefined {
    return this.#runtime;
  }

  get linkCount(): number {
    return this.#links.size;
  }

  get monitorCount(): number {
    return this.#monitors.size + this.#firing.size;
  }

  /** The actor's `init` returned: its mailbox takes messages from here on. */
  attach(runtime: ActorRuntime): void {
    this.#runtime = runtime;
    const early = this.#early;
    this.#early = [];
    for (const notice of early) this.#deliver(notice);
  }

  /** The abilities of the actor's context (frozen with it by `createActorContext`). */
  abilities(): Pick<ActorContext, 'ref' | 'monitor' | 'demonitor'> {
    return {
      ref: <W = AnyWorker>(target: string) => this.ref<W>(target),
      monitor: (target: string | PeerRef<AnyWorker>) => this.monitor(target),
      demonitor: (monitor: MonitorRef) => this.demonitor(monitor),
    };
  }

  ref<W = AnyWorker>(target: string): PeerRef<W> {
    checkTarget(target, 'ctx.ref', this.#inTree);
    return new WorkerPeerRef<W>(this, target, undefined);
  }

  monitor(target: string | PeerRef<AnyWorker>): MonitorRef {
    const name = typeof target === 'object' && target !== null && typeof target.target === 'string' ? target.target : target;
    checkTarget(name, 'ctx.monitor', this.#inTree);
    const monitor: MonitorRef = Object.freeze({ id: ++this.#nextMonitor, target: name as string });
    this.#monitors.set(monitor.id, monitor);
    this.#post([OP_MONITOR, this.#actorId, monitor.id, monitor.target]);
    return monitor;
  }

  demonitor(monitor: MonitorRef): boolean {
    const id = typeof monitor === 'object' && monitor !== null ? monitor.id : undefined;
    if (typeof id !== 'number') return false;
    if (this.#firing.delete(id)) return true;
    // Its notice arrived while init ran and waits for init to return: withdrawn as a queued one is.
    const early = this.#early.findIndex((notice) => notice.monitor.id === id);
    if (early >= 0) {
      this.#early.splice(early, 1);
      return true;
    }
    if (!this.#monitors.delete(id)) return false;
    this.#post([OP_DEMONITOR, this.#actorId, id]);
    return true;
  }

  /** @internal The host's down notice for monitor `id`. */
  down(id: number, path: string, incarnation: number | undefined, reason: DownNotice['reason']): void {
    const monitor = this.#monitors.get(id);
    // Removed by demonitor while the notice was on its way.
    if (monitor === undefined) return;
    this.#monitors.delete(id);
    const notice: DownNotice = Object.freeze({ type: 'down', monitor, path, incarnation, reason });
    if (this.#runtime === undefined) this.#early.push(notice);
    else this.#deliver(notice);
  }

  #deliver(notice: DownNotice): void {
    const runtime = this.#runtime as ActorRuntime;
    if (!runtime.hasInfo) {
      this.log('warn', 'unhandled_info', `dropped a down notice for '${notice.monitor.target}' (${notice.reason.kind}): the worker defines no info(state, message) handler`);
      return;
    }
    const id = notice.monitor.id;
    this.#firing.add(id);
    runtime.deliver([IN_INFO, notice, () => this.#firing.delete(id)]);
  }

  /** @internal */
  call(target: string, method: string, args: readonly unknown[], timeoutMs: number | undefined): Promise<unknown> {
    return this.#link(target).call(method, args, timeoutMs);
  }

  /** @internal */
  cast(target: string, method: string, args: readonly unknown[]): void {
    this.#link(target).cast(method, args);
  }

  #link(target: string): PeerLink {
    let link = this.#links.get(target);
    if (link === undefined) {
      link = new PeerLink(this, target);
      this.#links.set(target, link);
    }
    return link;
  }

  chain(): readonly ChainLink[] {
    return this.#runtime?.chainOut() ?? [];
  }

  connect(link: PeerLink, timeoutMs: number | undefined): void {
    this.#thread.connect(this.#actorId, link, timeoutMs);
  }

  forget(link: PeerLink): void {
    if (this.#links.get(link.target) === link) this.#links.delete(link.target);
    this.#thread.unlink(link);
  }

  log(level: 'warn' | 'error', context: string, message: string): void {
    this.#post([OP_LOG, this.#actorId, level, context, message]);
  }

  /** The actor is ending: close every port it calls on. */
  close(): void {
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
    this.#monitors.clear();
    this.#firing.clear();
  }
}

/** A reference from inside a worker: a target and a timeout; each call finds (or sets up) its link. */
class WorkerPeerRef<W> implements PeerRef<W> {
  readonly target: string;
  readonly #owner: ActorPeers;
  readonly #timeoutMs: number | undefined;

  constructor(owner: ActorPeers, target: string, timeoutMs: number | undefined) {
    this.#owner = owner;
    this.target = target;
    this.#timeoutMs = timeoutMs;
  }

  call<M extends CallName<W>>(method: M, ...args: CallArgs<W, M>): Promise<CallResult<W, M>> {
    return this.#owner.call(this.target, method, args, this.#timeoutMs) as Promise<CallResult<W, M>>;
  }

  cast<M extends CastName<W>>(method: M, ...args: CastArgs<W, M>): void {
    this.#owner.cast(this.target, method, args);
  }

  withTimeout(timeoutMs: number): PeerRef<W> {
    // The rule of `callTimeoutMs`, checked by hand: the schemas would load zod into every thread.
    const ok = timeoutMs === Infinity || (Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1);
    if (!ok) throw new InvalidSpecError('call options', [{ path: 'timeoutMs', message: `expected a whole number of ms from 1 to 2147483647, or Infinity; given ${render(timeoutMs)}` }]);
    return new WorkerPeerRef<W>(this.#owner, this.target, timeoutMs);
  }
}

/** Refuses a target that is no name or path, and any target outside a tree. */
function checkTarget(target: unknown, what: string, inTree: boolean): asserts target is string {
  if (typeof target !== 'string' || target === '' || target.split('/').some((part) => part === '')) {
    throw new InvalidSpecError(`${what} target`, [{ path: 'target', message: `expected a registered name ('bank') or a child path ('accounts/alice'); given ${render(target)}` }]);
  }
  if (!inTree) throw new NoTreeError(what, target);
}
