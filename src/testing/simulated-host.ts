/**
 * A `ChildHost` whose children are plain objects driven by a `VirtualClock`: the real supervisor shell
 * runs on top of it without threads, so tests of a tree's wiring (refs, management, events) are fast and
 * deterministic. Crashes are injected by hand.
 */
import type { ActorHandle, CallOptions, ChildHost, Shutdown, StartOutcome, WorkerStartOptions } from '../seams/child-host.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import { ActorCrashedError, ActorStoppedError, CallTimeoutError, StartError, UnknownMethodError } from '../errors.js';
import { serializeError } from '../protocol/serialized-error.js';
import { isNormalExit } from '../protocol/exit-reason.js';
import { WORKER_DEFAULTS } from '../options/defaults.js';
import { exitReasonError } from '../options/exit-reason-check.js';
import type { VirtualClock } from './virtual-clock.js';

/** How a simulated worker module behaves. */
export interface SimulatedBehaviour {
  /** Builds the state; throwing fails the start; returning `SIMULATED_IGNORE` declines it. */
  init?: (args: unknown) => unknown;
  calls?: Record<string, (state: any, ...args: any[]) => unknown>;
  casts?: Record<string, (state: any, ...args: any[]) => unknown>;
  /** Virtual ms a start takes. @default 0 */
  startMs?: number;
  /** Virtual ms an orderly stop takes. @default 0 */
  stopMs?: number;
}

/** Returned by a simulated `init` to decline the start (OTP's `ignore`). */
export const SIMULATED_IGNORE: unique symbol = Symbol('threadvisor.simulated.ignore');

let nextThreadId = 10_000;

/** One simulated incarnation. */
export class SimulatedActor implements ActorHandle {
  readonly actorId = 1;
  readonly threadId = nextThreadId++;
  readonly exited: Promise<ExitReason>;
  readonly module: string;
  #settle!: (reason: ExitReason) => void;
  #alive = true;
  #hung = false;
  #stopping: Promise<ExitReason> | null = null;
  #stoppingWith: Shutdown | null = null;
  readonly #state: unknown;
  readonly #behaviour: SimulatedBehaviour;
  readonly #clock: VirtualClock;

  constructor(module: string, state: unknown, behaviour: SimulatedBehaviour, clock: VirtualClock) {
    this.module = module;
    this.#state = state;
    this.#behaviour = behaviour;
    this.#clock = clock;
    this.exited = new Promise((resolve) => (this.#settle = resolve));
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Whether `hang()` blocked it (a test's heartbeat looks at this before ending it `hung`). */
  get hung(): boolean {
    return this.#hung;
  }

  /**
   * The `shutdown` of the first stop request, or `null` if none came: once asked to stop with a finite
   * one, the thread host's heartbeat no longer judges the thread, and a test's heartbeat should not either.
   */
  get stoppingWith(): Shutdown | null {
    return this.#stoppingWith;
  }

  /** Ends this incarnation now with `reason` (a crash when abnormal); calls in flight reject. */
  crash(reason: ExitReason = { kind: 'error', error: { name: 'Error', message: 'simulated crash' } }): void {
    this.#end(reason);
  }

  /** Blocks the simulated thread: it ignores stop requests until its shutdown timeout kills it. */
  hang(): void {
    this.#hung = true;
  }

  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
    if (!this.#alive) return Promise.reject(new ActorStoppedError({ kind: 'shutdown' }, method));
    // Own handlers only: a method name such as 'constructor' or 'toString' must not reach Object.prototype.
    const handler = ownHandler(this.#behaviour.calls, method);
    if (handler === undefined) return Promise.reject(new UnknownMethodError(method, 'call', Object.keys(this.#behaviour.calls ?? {})));
    if (this.#hung) {
      return new Promise((_, reject) => {
        const timeoutMs = options?.timeoutMs ?? WORKER_DEFAULTS.callTimeoutMs;
        this.#clock.setTimer(() => reject(new CallTimeoutError(method, timeoutMs)), timeoutMs);
      });
    }
    try {
      return Promise.resolve(handler(this.#state, ...args));
    } catch (error) {
      // A throwing handler crashes its actor, as in a real thread: the caller learns why at once.
      const reason: ExitReason = { kind: 'error', error: serializeError(error) };
      this.#end(reason);
      return Promise.reject(new ActorCrashedError(reason, method));
    }
  }

  cast(method: string, args: unknown[]): void {
    const handler = ownHandler(this.#behaviour.casts, method);
    if (handler === undefined) throw new UnknownMethodError(method, 'cast', Object.keys(this.#behaviour.casts ?? {}));
    if (!this.#alive) throw new ActorStoppedError({ kind: 'shutdown' }, method);
    try {
      handler(this.#state, ...args);
    } catch (error) {
      this.#end({ kind: 'error', error: serializeError(error) });
    }
  }

  stop(reason: ExitReason = { kind: 'shutdown' }, options: { shutdown?: Shutdown } = {}): Promise<ExitReason> {
    // As the thread host: a reason is validated like any input.
    const invalid = exitReasonError(reason);
    if (invalid !== null) return Promise.reject(invalid);
    if (this.#stopping !== null) {
      // As the thread host: a later brutal_kill cuts a stop in progress short.
      if (options.shutdown === 'brutal_kill') this.#end({ kind: 'killed' });
      return this.#stopping;
    }
    if (!this.#alive) return this.exited;
    const shutdown = options.shutdown ?? WORKER_DEFAULTS.shutdownMs;
    this.#stopping = this.exited;
    this.#stoppingWith = shutdown;
    if (shutdown === 'brutal_kill') {
      this.#end({ kind: 'killed' });
      return this.exited;
    }
    const stopMs = this.#behaviour.stopMs ?? 0;
    if (!this.#hung && (shutdown === 'infinity' || stopMs <= shutdown)) {
      this.#clock.setTimer(() => this.#end(isNormalExit(reason) ? reason : { kind: 'shutdown' }), stopMs);
    } else if (typeof shutdown === 'number') {
      this.#clock.setTimer(() => this.#end({ kind: 'killed', afterMs: shutdown }), shutdown);
    }
    return this.exited;
  }

  #end(reason: ExitReason): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#settle(reason);
  }
}

/** A `ChildHost` of simulated workers keyed by module name (any string, e.g. `'sim:db'`). */
export class SimulatedHost implements ChildHost {
  readonly #clock: VirtualClock;
  readonly #behaviours = new Map<string, SimulatedBehaviour>();
  readonly #failStarts = new Map<string, number>();
  readonly #actors = new Map<string, SimulatedActor[]>();

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  /** Declares how a module behaves; modules not declared fail validation before anything starts. */
  define(module: string, behaviour: SimulatedBehaviour = {}): this {
    this.#behaviours.set(module, behaviour);
    return this;
  }

  /** The next `count` starts of `module` fail. */
  failNextStarts(module: string, count: number): this {
    this.#failStarts.set(module, count);
    return this;
  }

  /** The live incarnation of `module` (the last one started), if any. */
  current(module: string): SimulatedActor | undefined {
    const list = this.#actors.get(module) ?? [];
    const last = list[list.length - 1];
    return last?.alive ? last : undefined;
  }

  /** Every incarnation of `module` ever started, oldest first. */
  incarnations(module: string): readonly SimulatedActor[] {
    return this.#actors.get(module) ?? [];
  }

  /** Incarnations still alive, all modules together. */
  get alive(): number {
    let n = 0;
    for (const list of this.#actors.values()) for (const a of list) if (a.alive) n += 1;
    return n;
  }

  checkModule(module: string | URL): string | null {
    return this.#behaviours.has(String(module)) ? null : `no simulated behaviour defined for module '${String(module)}'`;
  }

  start(options: WorkerStartOptions): Promise<StartOutcome> {
    const module = String(options.module);
    const behaviour = this.#behaviours.get(module);
    return new Promise<StartOutcome>((resolve, reject) => {
      this.#clock.setTimer(() => {
        const failing = this.#failStarts.get(module) ?? 0;
        if (behaviour === undefined || failing > 0) {
          if (failing > 0) this.#failStarts.set(module, failing - 1);
          reject(new StartError(module, { name: 'SimulatedStartFailure', message: `start of ${module} failed` }));
          return;
        }
        let state: unknown;
        try {
          state = behaviour.init ? behaviour.init(options.args) : undefined;
        } catch (error) {
          reject(new StartError(module, serializeError(error)));
          return;
        }
        if (state === SIMULATED_IGNORE) return resolve({ status: 'ignored' });
        const actor = new SimulatedActor(module, state, behaviour, this.#clock);
        const list = this.#actors.get(module) ?? [];
        list.push(actor);
        this.#actors.set(module, list);
        resolve({ status: 'started', actor });
      }, behaviour?.startMs ?? 0);
    });
  }
}

/** The handler `table` defines under `method` itself, if any (untyped callers may pass any value). */
function ownHandler<H>(table: Record<string, H> | undefined, method: unknown): H | undefined {
  return table !== undefined && typeof method === 'string' && Object.hasOwn(table, method) ? table[method] : undefined;
}
