// Test helpers for tensor code (not part of the public API, not built into dist/).
export { assertNoLeak, NoLeakOptions } from './assert_no_leak';
export { assertGradientsMatchFiniteDifferences, GradientCheckOptions } from './assert_gradients';
export { assertClose } from './assert_close';
