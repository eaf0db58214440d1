export { trainSimCLR, SimCLRConfig, SIMCLR_DEFAULTS } from './train_simclr';
export { trainMoCo, MoCoConfig, MoCoResult, MOCO_DEFAULTS } from './train_moco';
export { MoCoQueue } from './moco_queue';
export { momentumUpdateModel } from './momentum_update_model';
export { StepInfo, EpochInfo, Callback, TrainResult, CommonTrainConfig } from './types';
export { learningRateAt, LrSchedule, LR_SCHEDULES } from './lr_schedule';
