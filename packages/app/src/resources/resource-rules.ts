import { NotFoundError, type Resource, type ResourceView, withoutAnswers } from '@tandem/core';
import type { Actor } from '../context.ts';

export const resourceEventData = (r: Resource) => ({
  resourceId: r.id,
  kind: r.kind,
  title: r.title,
  trainingModule: r.trainingModule,
});

/**
 * What an actor sees of a resource: admins (API keys) the whole of it, quiz answers included;
 * participants the active library without the answers, and an archived resource not at all.
 */
export function viewFor(actor: Actor, value: Resource): ResourceView {
  if (actor.kind === 'admin') return value;
  if (value.status !== 'active') throw new NotFoundError(`No resource ${value.id}`);
  return withoutAnswers(value);
}
