import type { Enrollment, Person, Relationship } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf } from '../participants/access.ts';

export interface Me {
  person: Person;
  enrollments: Enrollment[];
  relationships: Relationship[];
}

/** A participant's own view: their profile, active enrollments and relationships that have not ended. */
export async function getMe(ctx: ActorContext): Promise<Me> {
  const personId = participantOf(ctx.actor);
  const [person, enrollments, relationships] = await Promise.all([
    ctx.store.people.get(personId),
    ctx.store.enrollments.activeOfPerson(personId),
    ctx.store.relationships.ofPerson(personId),
  ]);
  return {
    person,
    enrollments,
    relationships: relationships.filter((r) => r.status !== 'completed' && r.status !== 'dissolved'),
  };
}
