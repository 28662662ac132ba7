/**
 * Roles and what each may do with andon calls: one table, read by the
 * collector's checks, the session view and docs/andon.md. No zod here: the
 * dashboard imports it.
 */
import type { Role } from './types';

export const ROLES = ['operator', 'team_leader', 'maintenance', 'supervisor', 'manager', 'admin'] as const satisfies readonly Role[];

/** Things a person may be allowed to do. */
export const ANDON_PERMISSIONS = ['raise', 'acknowledge', 'resolve', 'cancel', 'editRules'] as const;
export type AndonPermission = (typeof ANDON_PERMISSIONS)[number];

/**
 * Who may do what. `cancel` is further limited to the call's own raiser
 * (docs/andon.md); a wall screen has no session and may do nothing.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, Readonly<Record<AndonPermission, boolean>>>> = {
  operator: { raise: true, acknowledge: false, resolve: false, cancel: true, editRules: false },
  team_leader: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: false },
  maintenance: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: false },
  supervisor: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: false },
  manager: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: true },
  admin: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: true },
};

export function may(role: Role, permission: AndonPermission): boolean {
  return ROLE_PERMISSIONS[role][permission];
}

/** The roles that hold a permission, for a 403's message. */
export function rolesThatMay(permission: AndonPermission): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r][permission]);
}
