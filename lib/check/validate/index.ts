/** `netpol validate`: what the Kubernetes API server would reject, found offline. */
export * from './issue';
export * from './network-policy';
export * from './cluster-network-policy';
export * from './files';
