/**
 * The demo's supply chain: a fictional district cluster around line A1, with
 * the partner ids the simulator's scenarios use (simulator/scenarios/*.json:
 * P-BATT-01 and P-SEAT-01 deliver to the line; P-EDRV-01 and P-CHIP-01 report
 * output). Names, figures and places are invented.
 *
 * Stations are those of the reference plant (core/plant.ts) and match the
 * scenarios' `partners[].station`: battery packs are fitted at S07 (battery
 * pack), seats at S11 (seats). A simulated shortage starves that station
 * (reason "waiting for parts from <partner>") while the ones before it fill up
 * and block, so the alert names the station the simulator starves.
 *
 * The chain-gap view has something to show: glass and ADAS software come from
 * outside the district, and no partner at all makes lidar.
 */
import type { PartnerRegistry } from './registry';

/** The demo registry; a fresh copy each call (callers may edit it). */
export function referencePartnerRegistry(): PartnerRegistry {
  return {
    version: 1,
    cluster: {
      name: { zh: '智能网联汽车产业集群', en: 'Smart vehicle industry cluster' },
      // 1000 亿元 in 2027, from 610 亿元 in 2025: (1e11 / 6.1e10)^(1/2) − 1 ≈ 28.0 % a year.
      targetYuan: 1e11,
      targetYear: 2027,
      baseline: { year: 2025, valueYuan: 6.1e10 },
      timeZone: 'Asia/Shanghai',
      chainMasterEntity: 'PLANT-A1',
      runRateMonths: 3,
    },
    categories: [
      { id: 'battery', name: { zh: '动力电池', en: 'Battery' } },
      { id: 'e-drive', name: { zh: '电驱系统', en: 'E-drive' } },
      { id: 'seats', name: { zh: '座椅', en: 'Seats' } },
      { id: 'glass', name: { zh: '汽车玻璃', en: 'Glass' } },
      { id: 'electronics', name: { zh: '汽车电子', en: 'Electronics' } },
      { id: 'adas-software', name: { zh: '智能驾驶软件', en: 'ADAS software' } },
      { id: 'lidar', name: { zh: '激光雷达', en: 'Lidar' } },
    ],
    partners: [
      {
        id: 'P-BATT-01',
        name: { zh: '东湖动力电池', en: 'Donghu Power Battery' },
        category: 'battery',
        tier: 1,
        inDistrict: true,
        stations: [{ line: 'A1', station: 'S07' }],
        // The scenarios: a lot every 2 h from the start of the run (06:00), at_risk below 2 h.
        inventoryPolicy: { minHours: 2, deliveryEveryHours: 2, firstDeliveryAt: '00:00' },
      },
      {
        id: 'P-SEAT-01',
        name: { zh: '锦程汽车座椅', en: 'Jincheng Seating' },
        category: 'seats',
        tier: 1,
        inDistrict: true,
        stations: [{ line: 'A1', station: 'S11' }],
        inventoryPolicy: { minHours: 1.5, deliveryEveryHours: 1, firstDeliveryAt: '00:00' },
      },
      {
        id: 'P-EDRV-01',
        name: { zh: '启明电驱科技', en: 'Qiming E-Drive' },
        category: 'e-drive',
        tier: 1,
        inDistrict: true,
        stations: [{ line: 'A1', station: 'S08' }],
        inventoryPolicy: { minHours: 4, deliveryEveryHours: 4, firstDeliveryAt: '02:00' },
      },
      {
        id: 'P-CHIP-01',
        name: { zh: '芯港汽车电子', en: 'Xingang Automotive Electronics' },
        category: 'electronics',
        tier: 2,
        inDistrict: true,
        stations: [{ line: 'A1', station: 'S03' }],
        inventoryPolicy: { minHours: 8, deliveryEveryHours: 8, firstDeliveryAt: '05:00' },
      },
      {
        id: 'P-GLAS-01',
        name: { zh: '海岳汽车玻璃', en: 'Haiyue Auto Glass' },
        category: 'glass',
        tier: 1,
        inDistrict: false,
        stations: [{ line: 'A1', station: 'S05' }],
        inventoryPolicy: { minHours: 6, deliveryEveryHours: 12, firstDeliveryAt: '04:00' },
      },
      {
        id: 'P-ADAS-01',
        name: { zh: '远瞳智驾软件', en: 'Yuantong ADAS Software' },
        category: 'adas-software',
        tier: 1,
        inDistrict: false,
        // Software is flashed at the end-of-line test; no line-side stock.
        stations: [{ line: 'A1', station: 'S15' }],
      },
    ],
  };
}
