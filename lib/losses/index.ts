export { tripletLoss, TripletLossOptions } from './triplet_loss';
export { nPairLoss, NPairLossOptions } from './n_pair_loss';
export { infoNCE } from './info_nce';
export { ntXent, NtXentOptions } from './nt_xent';
export { mocoInfoNCE, MocoInfoNCEOptions } from './moco_info_nce';
export { softmaxCrossEntropy, SoftmaxCrossEntropyOptions, MASKED_LOGIT } from './softmax_cross_entropy';
export { pairwiseDot } from './pairwise_dot';
export { contrastiveCrossEntropy } from './contrastive_cross_entropy';
