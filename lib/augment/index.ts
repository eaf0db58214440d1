export { compose, AugmentFn, AugmentName, AugmentOptions, AUGMENT_NAMES, DEFAULT_AUGMENT_STEPS, augmentRecipe, AugmentRecipe } from './compose';
export { randomResizedCrop, CropOptions, CROP_DEFAULTS } from './random_resized_crop';
export { randomAffine, AffineOptions, AFFINE_DEFAULTS } from './random_affine';
export { elasticDistortion, ElasticOptions, ELASTIC_DEFAULTS } from './elastic_distortion';
export { randomErasing, EraseOptions, ERASE_DEFAULTS } from './random_erasing';
export { gaussianNoise, NoiseOptions, NOISE_DEFAULTS } from './gaussian_noise';
export { viewGrid, showViews } from './view_grid';
