/** KPI engine: one definition of every number Taktline shows. */
export * from './backlog';
export * from './bottleneck';
export * from './buffers';
export * from './cycles';
export * from './downtime';
export * from './line-kpis';
export * from './oee';
export * from './registry';
export * from './rollup';
export * from './shift-live';
export * from './states';
export * from './stations';
export * from './throughput';
export { overlapMs, ratio } from './spans';
