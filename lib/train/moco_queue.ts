import * as tf from '@tensorflow/tfjs';
import { checkTensor, l2Normalize } from '../tensor';

/**
 * MoCo's dictionary: a FIFO queue of the last K keys (rows L2-normalised). Starts with K random
 * unit vectors (as in MoCo); `enqueue` drops the oldest B rows and appends the B new keys last.
 * The queue holds constants: no gradient flows into it (which is why the key encoder is not
 * trained by gradient but follows the query encoder by momentum).
 * @example
 * const queue = new clab.train.MoCoQueue(4096, 128, 0);
 * queue.enqueue(k); // k [B, 128], normalised, after the loss was computed
 * queue.dispose();
 */
export class MoCoQueue {
  private current: tf.Tensor2D;

  /**
   * @param size K, the number of keys kept (>= 1)
   * @param dim width of a key
   * @param seed seed of the random initial keys (any integer)
   */
  constructor(readonly size: number, readonly dim: number, seed = 0) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`MoCoQueue: size K must be an integer >= 1, got ${size}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`MoCoQueue: dim must be an integer >= 1, got ${dim}`);
    this.current = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', (seed >>> 0) + 1) as tf.Tensor2D));
  }

  /** The keys [K, dim], oldest first. Owned by the queue: do not dispose; it is replaced on enqueue. */
  get keys(): tf.Tensor2D {
    return this.current;
  }

  /**
   * Appends `keys` (newest last) and drops the oldest B rows, keeping K rows.
   * @param keys [B, dim] with B <= K; copied, so the caller may dispose it
   */
  enqueue(keys: tf.Tensor2D): void {
    checkTensor('MoCoQueue.enqueue', 'keys', keys, `[B, ${this.dim}]`);
    if (keys.shape[1] !== this.dim) throw new Error(`MoCoQueue.enqueue: keys must be [B, ${this.dim}], got [${keys.shape.join(',')}] (the queue holds keys of width ${this.dim})`);
    const b = keys.shape[0];
    if (b > this.size) throw new Error(`MoCoQueue.enqueue: batch ${b} is larger than the queue size K = ${this.size}; use K >= batch`);
    const next = tf.tidy(() => tf.concat([tf.slice(this.current, [b, 0], [this.size - b, this.dim]), keys], 0) as tf.Tensor2D); // [K, dim]
    this.current.dispose();
    this.current = next;
  }

  /** Frees the queue's tensor. */
  dispose(): void {
    this.current.dispose();
  }
}
