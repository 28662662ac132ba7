/**
 * The protocol's closed vocabularies, without zod: the dashboard imports
 * these to draw states and statuses and must not pull the schema library into
 * a wall screen's bundle. core/events.ts builds its schemas from them.
 */

export const STATION_STATES = ['running', 'idle', 'starved', 'blocked', 'fault', 'maintenance', 'offline'] as const;
export type StationState = (typeof STATION_STATES)[number];

export const PARTNER_STATUSES = ['ok', 'at_risk', 'late', 'down'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

export const UNIT_RESULTS = ['ok', 'nok'] as const;
export type UnitResult = (typeof UNIT_RESULTS)[number];
