// Worker thread body: type-checks submissions off the main thread, so the sandbox keeps running.
import { parentPort } from 'node:worker_threads';
import { typecheckSubmission } from './typecheck_submission';

parentPort?.on('message', (msg: { id: number; projectRoot: string; files: Array<[string, string]> }) => {
  try {
    const out = typecheckSubmission(msg.projectRoot, new Map(msg.files));
    parentPort?.postMessage({ id: msg.id, ok: true, diagnostics: [...out] });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, ok: false, error: (e as Error).message });
  }
});
