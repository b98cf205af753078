/**
 * OTP's management requests (`start_child`, `terminate_child`, `restart_child`, `delete_child`), decided
 * on an idle supervisor. None of them counts toward restart intensity.
 */
import type { SupervisorInput, ManagementResult } from './events.js';
import { begin, removeChild, report, type Ctx } from './machine.js';

type Request = Extract<SupervisorInput, { request: number }>;

/** Answers a request that reached a supervisor that has already exited. */
export function replyStopped(c: Ctx, request: number): void {
  reply(c, request, { ok: false, error: 'stopped' });
}

/** Handles one management request; the supervisor is idle (no operation running). */
export function handleRequest(c: Ctx, input: Request): void {
  const s = c.s;
  if (s.phase !== 'running') return replyStopped(c, input.request);
  if (input.type === 'start_child') {
    if (s.children.get(input.spec.id) !== undefined) return reply(c, input.request, { ok: false, error: 'already_present' });
    if (s.dynamic && s.children.order.length >= s.dynamic.maxChildren) return reply(c, input.request, { ok: false, error: 'max_children' });
    s.children.add(input.spec);
    return begin(c, 'start_child', [{ do: 'start', id: input.spec.id, restart: false }], { request: input.request });
  }
  const rec = s.children.get(input.id);
  if (rec === undefined) return reply(c, input.request, { ok: false, error: 'not_found' });
  switch (input.type) {
    case 'terminate_child':
      if (rec.status === 'running') {
        return begin(c, 'terminate_child', [{ do: 'stop', ids: [input.id] }], { request: input.request });
      }
      if (rec.status === 'restarting') cancelPendingRestart(c, input.id);
      if (rec.spec.restart === 'temporary' || s.dynamic) removeChild(c, input.id);
      return reply(c, input.request, { ok: true });
    case 'restart_child':
      if (rec.status === 'running') return reply(c, input.request, { ok: false, error: 'running' });
      if (rec.status === 'restarting') return reply(c, input.request, { ok: false, error: 'restarting' });
      return begin(c, 'restart_child', [{ do: 'start', id: input.id, restart: false }], { request: input.request });
    case 'delete_child':
      if (rec.status === 'running') return reply(c, input.request, { ok: false, error: 'running' });
      if (rec.status === 'restarting') return reply(c, input.request, { ok: false, error: 'restarting' });
      removeChild(c, input.id);
      return reply(c, input.request, { ok: true });
  }
}

/** Takes one child out of its waiting restart group at once; an emptied group's timer is cancelled. */
function cancelPendingRestart(c: Ctx, id: string): void {
  const s = c.s;
  const rec = s.children.get(id)!;
  rec.status = 'stopped';
  rec.dueAt = undefined;
  for (const group of s.groups) {
    const at = group.ids.indexOf(id);
    if (at < 0) continue;
    group.ids.splice(at, 1);
    if (group.ids.length === 0) c.fx.push({ type: 'cancel', key: group.key });
  }
  s.groups = s.groups.filter((g) => g.ids.length > 0);
  report(c, { type: 'restart_cancelled', children: [id] });
}

function reply(c: Ctx, request: number, result: ManagementResult): void {
  c.fx.push({ type: 'reply', request, result });
}
