export { writeAtomic } from './write_atomic';
