/**
 * Who may act on which call: the role table (roles.ts) plus the person's
 * lines, and the rule that only a call's raiser may cancel it. Pure.
 */
import type { PersonConfig } from '../people';
import type { ActionRefusal } from './calls';
import { may, rolesThatMay, type AndonPermission } from './roles';
import type { AndonCallView } from './types';

const VERB: Record<AndonPermission, string> = {
  raise: 'raise calls',
  acknowledge: 'acknowledge calls',
  resolve: 'resolve calls',
  cancel: 'cancel calls',
  editRules: 'edit rules',
};

/** Null when `person` may do `permission` on line `line` (and, for cancel, on `call`). */
export function accessRefusal(
  person: Pick<PersonConfig, 'id' | 'role' | 'lines'>,
  permission: AndonPermission,
  line: string,
  call?: Pick<AndonCallView, 'id' | 'raisedBy'>,
): ActionRefusal | null {
  if (!may(person.role, permission)) {
    return { status: 403, code: 'forbidden', message: `${/^[aeiou]/.test(person.role) ? 'an' : 'a'} ${person.role} may not ${VERB[permission]}; roles that may: ${rolesThatMay(permission).join(', ')}` };
  }
  if (person.lines.length > 0 && !person.lines.includes(line)) {
    return { status: 403, code: 'forbidden', message: `you answer for line(s) ${person.lines.join(', ')}, not ${line}` };
  }
  if (permission === 'cancel' && call && !(call.raisedBy.kind === 'person' && call.raisedBy.id === person.id)) {
    return { status: 403, code: 'forbidden', message: `only the raiser (${call.raisedBy.name}) may cancel call ${call.id}; resolve it instead` };
  }
  return null;
}
