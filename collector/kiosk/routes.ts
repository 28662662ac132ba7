/**
 * Kiosk and fleet routes:
 *   GET  /api/v1/kiosk?screen=hall-3   the screen's playlist (from TAKTLINE_KIOSK_FILE)
 *   POST /api/v1/screens/report        a screen says how it is (no token: it carries no secret and changes no data)
 *   GET  /api/v1/screens               every screen, last seen, silent or stale
 */
import type { Router } from '../http/router';
import { readBody } from '../http/body';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import { Fleet, ScreenReport } from './fleet';
import { ScreenName, type KioskSource } from './kiosk-file';

/** A report is a few hundred bytes. */
const MAX_REPORT_BYTES = 4096;

export interface KioskDeps {
  kiosk: KioskSource;
  fleet: Fleet;
}

export function registerKioskRoutes(router: Router, { kiosk, fleet }: KioskDeps): void {
  router
    .on('GET', '/api/v1/kiosk', async ({ res, url }) => {
      const raw = url.searchParams.get('screen') ?? '';
      const name = ScreenName.safeParse(raw);
      if (!name.success) throw new HttpProblem(400, 'invalid_parameter', `screen: ${name.error.issues[0]?.message ?? 'invalid'}`);
      const file = await kiosk.get();
      const screens = new Map(Object.entries(file.screens));
      const screen = screens.get(name.data);
      if (!screen) {
        const known = [...screens.keys()];
        throw new HttpProblem(
          404,
          'unknown_screen',
          known.length > 0
            ? `no screen '${name.data}' in the kiosk file; screens: ${known.join(', ')}`
            : `no screen '${name.data}': the collector has no kiosk screens (set TAKTLINE_KIOSK_FILE; see docs/configuration.md)`,
        );
      }
      sendJson(res, 200, { screen: name.data, refreshSeconds: file.refreshSeconds, playlist: screen.playlist, problem: kiosk.problem });
    })
    .on('POST', '/api/v1/screens/report', async ({ req, res }) => {
      const body = await readBody(req, MAX_REPORT_BYTES);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpProblem(400, 'invalid_json', 'the report must be a JSON object');
      }
      const report = ScreenReport.safeParse(raw);
      if (!report.success) {
        const issue = report.error.issues[0];
        throw new HttpProblem(400, 'invalid_report', `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      fleet.report(report.data);
      const file = await kiosk.get();
      sendJson(res, 200, { ok: true, reportEverySeconds: Math.min(30, file.refreshSeconds) });
    })
    .on('GET', '/api/v1/screens', async ({ res }) => {
      const file = await kiosk.get();
      const t = { silentAfterSeconds: file.silentAfterSeconds, staleAfterSeconds: file.staleAfterSeconds };
      sendJson(res, 200, { ...t, screens: fleet.list(t) });
    });
}
