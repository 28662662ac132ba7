/**
 * What a notification says, in Chinese first and English after it (the
 * phones it reaches are in a Chinese plant; an English reader still finds
 * every fact). Pure: the plant and the instant are parameters.
 */
import type { PlantConfig } from '../plant';
import { plantAndon } from '../plant';
import { localTime, formatClock } from '../time/civil';
import type { AndonCallView, Role } from './types';

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  operator: { zh: '操作员', en: 'operator' },
  team_leader: { zh: '班组长', en: 'team leader' },
  maintenance: { zh: '维修', en: 'maintenance' },
  supervisor: { zh: '主管', en: 'supervisor' },
  manager: { zh: '经理', en: 'manager' },
  admin: { zh: '管理员', en: 'admin' },
};

export interface CallMessage {
  /** One line: for an e-mail subject and a DingTalk markdown title. */
  title: string;
  /** Markdown for the group robots. */
  markdown: string;
  /** Plain text for e-mail and text robot messages. */
  text: string;
}

/** The message for one step of a call: raised (tier 0) or escalated to `tier`. */
export function callMessage(call: AndonCallView, tier: number, role: Role, plant: PlantConfig, at: number): CallMessage {
  const line = plant.lines.find((l) => l.id === call.line);
  const station = call.station ? line?.stations.find((s) => s.id === call.station) : undefined;
  const kind = plantAndon(plant).kinds.find((k) => k.id === call.kind);
  const where = `${call.line}${call.station ? ` ${call.station}` : ''}`;
  const stationName = station ? ` ${station.name.zh} / ${station.name.en}` : '';
  const kindLabel = kind ? `${kind.label.zh} / ${kind.label.en}` : call.kind;
  const tz = line?.timeZone ?? 'UTC';
  const raised = formatClock(localTime(call.raisedAt, tz).minuteOfDay);
  const minutes = Math.max(0, Math.floor((at - call.raisedAt) / 60_000));
  const step = tier === 0 ? '新呼叫 New call' : `升级至第 ${tier} 级 Escalated to tier ${tier}`;
  const title = `【安灯 Andon】${where} ${kindLabel} · ${step}`;
  const facts = [
    `工位 Station: ${where}${stationName}`,
    `类型 Kind: ${kindLabel} · 优先级 Priority: ${call.priority}`,
    `通知 For: ${ROLE_LABELS[role].zh} / ${ROLE_LABELS[role].en} (tier ${tier})`,
    `发起 Raised by: ${call.raisedBy.name} · ${raised}${minutes > 0 ? ` (${minutes} 分钟前 min ago, 未确认 not acknowledged)` : ''}`,
    ...(call.note ? [`备注 Note: ${call.note}`] : []),
    `呼叫 Call: ${call.id}`,
  ];
  return {
    title,
    markdown: [`### ${title}`, ...facts.map((f) => `- ${f}`)].join('\n'),
    text: [title, ...facts].join('\n'),
  };
}
