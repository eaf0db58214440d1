// A data worker that dies on its first request (exit code 3): the test of the trainers' fallback.
import { parentPort } from 'node:worker_threads';

parentPort?.once('message', () => process.exit(3));
