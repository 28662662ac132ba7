/**
 * How often this screen's page has been reloaded, kept in localStorage so it
 * survives the reloads it counts. The fleet page shows it: a screen that
 * reloads every few minutes has a problem nobody in front of it will report.
 */
export const LOADS_KEY = 'taktline.pageLoads';

/** Counts this page load; returns the reloads so far (the first load is not one). */
export function countPageLoad(storage: Pick<Storage, 'getItem' | 'setItem'> | null): number {
  if (!storage) return 0;
  try {
    const loads = (Number(storage.getItem(LOADS_KEY)) || 0) + 1;
    storage.setItem(LOADS_KEY, String(loads));
    return loads - 1;
  } catch {
    return 0;
  }
}
