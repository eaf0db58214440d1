export { initBackend, InitBackendOptions } from './init_backend';
export { backendInfo, BackendInfo } from './backend_info';
export { BACKEND_NAMES, BackendName, parseBackendName } from './backend_names';
export { fusedAdam } from './fused_adam';
