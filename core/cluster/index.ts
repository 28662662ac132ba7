/** The supply chain around the line: partner registry, material risk, the cluster's goal and chain gaps. */
export * from './registry';
export * from './reference';
export * from './material-risk';
export * from './goal';
export * from './chain';
export * from './partner-view';
