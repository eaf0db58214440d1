/**
 * A set of grey-scale images with integer labels, held as flat typed arrays (no tensors, so
 * nothing to dispose). Image i is `images.subarray(i*h*w, (i+1)*h*w)`, row-major (NHWC with one
 * channel), values in [0, 1].
 */
export interface ImageSet {
  /** [n * height * width] pixel values in [0, 1], row-major. */
  images: Float32Array;
  /** [n] class labels (0..9 for MNIST). */
  labels: Uint8Array;
  /** Number of examples. */
  n: number;
  /** Image height in pixels (28 for MNIST). */
  height: number;
  /** Image width in pixels (28 for MNIST). */
  width: number;
}
