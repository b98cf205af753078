/**
 * How supervisors are named, written once: the shell and the simulator both name every supervisor of a
 * tree with these helpers, so a name in an event, a log or a `max_intensity` reason is the same whichever
 * of them ran the tree.
 */

/** The name of a root supervisor whose spec gives none. */
const ROOT_SUPERVISOR_NAME = 'root';

/**
 * The name of a root supervisor: its spec's `name`, else `fallback`.
 *
 * @example
 * rootSupervisorName({}); // 'root'
 * rootSupervisorName({ name: 'api' }); // 'api'
 */
export function rootSupervisorName(spec: { readonly name?: string | undefined }, fallback: string = ROOT_SUPERVISOR_NAME): string {
  return spec.name ?? fallback;
}

/**
 * The name of a nested supervisor: its spec's `name`, else `<parent name>/<id>`, so a default name says
 * where the supervisor sits even in a log line read on its own.
 *
 * @example
 * nestedSupervisorName('root', { id: 'jobs' }); // 'root/jobs'
 * nestedSupervisorName('root/jobs', { id: 'mail', name: 'mailer' }); // 'mailer'
 */
export function nestedSupervisorName(parentName: string, spec: { readonly id: string; readonly name?: string | undefined }): string {
  return spec.name ?? `${parentName}/${spec.id}`;
}
