export { initBackend, InitBackendOptions, BACKEND_NAMES, BackendName, parseBackendName } from './init_backend';
export { backendInfo, BackendInfo } from './backend_info';
export { fusedAdam } from './fused_adam';
