/**
 * Who an action's event names: the signed-in person, as every people's
 * action (stop classifications, defect codes, handover steps, andon steps)
 * records them.
 */
import type { PersonConfig } from '../../core/people';

/** A name as a step records it: no control characters, at most 120 characters. */
export function displayName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cs}]/gu, ' ').slice(0, 120);
}

/** The actor fields of an event a person's action writes. */
export function personActor(person: PersonConfig): { actorKind: 'person'; actorId: string; actorName: string; role: PersonConfig['role'] } {
  return { actorKind: 'person', actorId: person.id, actorName: displayName(person.name), role: person.role };
}
