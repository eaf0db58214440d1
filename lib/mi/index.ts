export { gaussianMI } from './gaussian_mi';
export { rhoForMI } from './rho_for_mi';
export { jointGaussianMI } from './joint_gaussian_mi';
export { seededNormals } from './seeded_normals';
export { sampleCorrelatedGaussians, sampleCorrelatedGaussiansBatched, SampleOptions } from './sample_correlated_gaussians';
export { trialSeed } from './trial_seed';
export { gaussianCritic, gaussianCriticBatched } from './gaussian_critic';
export { infoNCEBound, infoNCEBoundBatched } from './info_nce_bound';
export { boundExperiment, BoundExperimentOptions, BoundExperimentRow, BatchedCritic } from './bound_experiment';
